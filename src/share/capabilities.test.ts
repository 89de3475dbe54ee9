import { describe, expect, it } from "vitest";
import { proposedCapabilities, proposesAny, sameCapabilities, withoutCapabilities } from "./capabilities";
import { helloProject } from "./fixtures";
import { emptyProject, WORKSPACE_PREOPEN } from "./schema";

describe("capabilities a project proposes", () => {
  it("are its folders, allow-list and environment", () => {
    expect(proposedCapabilities(helloProject())).toEqual({ preopens: [WORKSPACE_PREOPEN], allow: ["127.0.0.1:7000", "*.example.com:443"], env: "GREETING_STYLE=plain" });
  });

  it("anything at all counts, except an environment of blanks and comments", () => {
    const none = { preopens: [], allow: [], env: "\n  # a comment\n" };
    expect(proposesAny(none)).toBe(false);
    expect(proposesAny({ ...none, env: "A=1" })).toBe(true);
    expect(proposesAny({ ...none, allow: ["example.com:443"] })).toBe(true);
    expect(proposesAny({ ...none, preopens: [WORKSPACE_PREOPEN] })).toBe(true);
    expect(proposesAny(proposedCapabilities(emptyProject()))).toBe(true);
  });

  it("compare by value and order", () => {
    const a = proposedCapabilities(helloProject());
    expect(sameCapabilities(a, { preopens: [{ workspace: "default", guestPath: "/" }], allow: [...a.allow], env: a.env })).toBe(true);
    expect(sameCapabilities(a, { ...a, allow: [...a.allow].reverse() })).toBe(false);
    expect(sameCapabilities(a, { ...a, preopens: [{ workspace: "default", guestPath: "/data" }] })).toBe(false);
    expect(sameCapabilities(a, { ...a, env: "" })).toBe(false);
  });

  it("declined: the project stays, its proposals go", () => {
    const d = withoutCapabilities(helloProject());
    expect(proposesAny(proposedCapabilities(d))).toBe(false);
    expect({ ...d, run: { ...d.run, preopens: [], allow: [], env: "" } }).toEqual({ ...helloProject(), run: { ...helloProject().run, preopens: [], allow: [], env: "" } });
    expect(d.run.args).toBe(helloProject().run.args);
  });
});
