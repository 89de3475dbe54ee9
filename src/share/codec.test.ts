import { describe, expect, it } from "vitest";
import { SHARE_LIMITS } from "../protocol/share-api";
import { fromBase64url, toBase64url } from "./base64url";
import { decodeProject, encodeProject } from "./codec";
import { authoringProject, compositionProject, helloProject } from "./fixtures";
import { emptyProject, serializeProject, type ProjectState } from "./schema";

async function encode(state: ProjectState): Promise<string> {
  const e = await encodeProject(state);
  if (!e.ok) throw new Error(e.error);
  return e.data;
}

const gzipText = async (text: string) => toBase64url(new Uint8Array(await new Response(new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer()));

describe("link codec", () => {
  it("round-trips states exactly, as URL-safe text", async () => {
    for (const state of [emptyProject(), helloProject(), authoringProject(), compositionProject()]) {
      const data = await encode(state);
      expect(data).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(await decodeProject(data)).toEqual({ ok: true, state, migratedFrom: null });
    }
  });

  it("is small: hello with its inputs fits well inside a short URL", async () => {
    expect((await encode(helloProject())).length).toBeLessThan(600);
  });

  it("refuses a changed character, a cut link and junk, leaving nothing half read", async () => {
    const data = await encode(authoringProject());
    const bytes = fromBase64url(data)!;
    bytes[bytes.length - 6]! ^= 0x10; // inside the CRC-32
    expect(await decodeProject(toBase64url(bytes))).toEqual({ ok: false, error: "the link is damaged or cut short: its compressed data does not check out" });
    const cut = data.slice(0, (data.length - 20) & ~3); // a whole number of base64 blocks: the gzip layer must notice
    expect(await decodeProject(cut)).toEqual({ ok: false, error: "the link is damaged or cut short: its compressed data does not check out" });
    expect(await decodeProject(data.slice(0, 10) + "%20" + data.slice(10))).toEqual({ ok: false, error: "the link is damaged: it has characters or a length a link never has (was it cut short or edited?)" });
    expect(await decodeProject("")).toMatchObject({ ok: false });
    expect(await decodeProject(await gzipText("not json"))).toEqual({ ok: false, error: "the link is damaged: what it holds is not a project (not JSON text)" });
  });

  it("refuses a well-formed link to a newer version", async () => {
    const newer = { ...JSON.parse(serializeProject(helloProject())), version: 99 };
    const r = await decodeProject(await gzipText(JSON.stringify(newer)));
    expect(r.ok ? "" : r.error).toContain("made by a newer playground (project version 99");
  });

  it("refuses a project past the limit with its size, both ways", async () => {
    const big = authoringProject();
    const text = "x".repeat(SHARE_LIMITS.stateBytes);
    big.authoring!.projects.js!.files[1]!.text = text;
    const size = new TextEncoder().encode(serializeProject(big)).length;
    expect(await encodeProject(big)).toEqual({ ok: false, size, error: `the project is ${(size / 1024).toFixed(1)} KiB (${size} bytes); a link holds at most 256.0 KiB (262144 bytes)` });
    // A link made elsewhere that unpacks past the limit stops unpacking there.
    const r = await decodeProject(await gzipText(JSON.stringify({ version: 2, pad: "y".repeat(SHARE_LIMITS.stateBytes + 1) })));
    expect(r).toEqual({ ok: false, error: "the project is more than 256.0 KiB unpacked; a link holds at most 256.0 KiB (262144 bytes)" });
  });
});
