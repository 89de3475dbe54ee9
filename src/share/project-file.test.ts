import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { toBase64url } from "./base64url";
import { authoringProject, HELLO_SHA } from "./fixtures";
import { PROJECT_FILE_MAX_BYTES, projectFileText, projectFileTooLarge, readProjectFile } from "./project-file";
import { emptyProject, type ProjectState } from "./schema";

const sha256 = async (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const bytes = new TextEncoder().encode("\0asm a component");
const stateWith = async (): Promise<ProjectState> => ({ ...authoringProject(), component: { name: "guest.wasm", sha256: await sha256(bytes), size: bytes.length } });

describe("project files", () => {
  it("round-trip the state and its component", async () => {
    const state = await stateWith();
    const text = projectFileText(state, new Map([[state.component!.sha256, bytes]]));
    const r = await readProjectFile(text, sha256);
    expect(r).toEqual({ ok: true, state, blobs: new Map([[state.component!.sha256, bytes]]) });
    // A project with no component holds no blobs.
    expect(await readProjectFile(projectFileText(emptyProject(), new Map()), sha256)).toEqual({ ok: true, state: emptyProject(), blobs: new Map() });
  });

  it("refuse a changed blob, a missing one, an extra one", async () => {
    const state = await stateWith();
    const file = JSON.parse(projectFileText(state, new Map([[state.component!.sha256, bytes]])));
    const sha = state.component!.sha256;
    const changed = { ...file, blobs: { [sha]: toBase64url(new TextEncoder().encode("\0asm another")) } };
    expect(await readProjectFile(JSON.stringify(changed), sha256)).toEqual({ ok: false, error: expect.stringMatching(new RegExp(`^it is damaged: blob ${sha} hashes to [0-9a-f]{64}$`)) });
    expect(await readProjectFile(JSON.stringify({ ...file, blobs: {} }), sha256)).toEqual({ ok: false, error: `it is incomplete: it lacks the blob ${sha}` });
    expect(await readProjectFile(JSON.stringify({ ...file, blobs: { ...file.blobs, [HELLO_SHA]: "AA" } }), sha256)).toEqual({ ok: false, error: `it is not a valid project file: file.blobs.${HELLO_SHA} is not used by the project` });
  });

  it("refuse what is not a project file, a newer one, and a bad state inside", async () => {
    const file = JSON.parse(projectFileText(emptyProject(), new Map()));
    expect(await readProjectFile("PK\u0003\u0004", sha256)).toEqual({ ok: false, error: "it is not a project file (not JSON)" });
    expect(await readProjectFile(JSON.stringify({ ...file, format: "other" }), sha256)).toEqual({ ok: false, error: 'it is not a valid project file: file.format: expected "wasi-playground-project"' });
    expect(await readProjectFile(JSON.stringify({ ...file, version: 2 }), sha256)).toEqual({ ok: false, error: "it is not a valid project file: file.version: this playground reads version 1; a newer playground wrote this file (reload to update)" });
    expect(await readProjectFile(JSON.stringify({ ...file, state: { ...file.state, engine: 7 } }), sha256)).toEqual({ ok: false, error: 'it is not a valid project: project.engine: expected one of "cm", "jco", got number 7' });
  });

  it("refuse a file past the limit with its size", () => {
    expect(projectFileTooLarge(PROJECT_FILE_MAX_BYTES)).toBeNull();
    expect(projectFileTooLarge(PROJECT_FILE_MAX_BYTES + 1)).toBe("the file is 64.0 MiB (67108865 bytes); a project file may be at most 64.0 MiB");
  });
});
