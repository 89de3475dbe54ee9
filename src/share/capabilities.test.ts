import { describe, expect, it } from "vitest";
import { capabilityDiff, isEmptyDiff, narrowTo, proposedCapabilities, unionOf, type Capabilities } from "./capabilities";
import { helloProject } from "./fixtures";
import { emptyProject, WORKSPACE_PREOPEN } from "./schema";

/** A fresh playground: the workspace as `/`, no network, no environment. */
const fresh = (): Capabilities => proposedCapabilities(emptyProject());

describe("capabilities a project proposes", () => {
  it("are its folders, allow-list and environment", () => {
    expect(proposedCapabilities(helloProject())).toEqual({ preopens: [WORKSPACE_PREOPEN], allow: ["127.0.0.1:7000", "*.example.com:443"], env: "GREETING_STYLE=plain" });
  });

  it("against a fresh page: the network and environment are new, the default workspace is not", () => {
    expect(capabilityDiff(fresh(), proposedCapabilities(helloProject()))).toEqual({ preopens: [], allow: ["127.0.0.1:7000", "*.example.com:443"], env: ["GREETING_STYLE=plain"] });
    expect(isEmptyDiff(capabilityDiff(fresh(), fresh()))).toBe(true);
  });

  it("only what is not allowed yet counts; blank lines and comments propose nothing", () => {
    const allowed = { preopens: [WORKSPACE_PREOPEN], allow: ["127.0.0.1:7000"], env: "GREETING_STYLE=plain" };
    const proposed = { preopens: [WORKSPACE_PREOPEN, { workspace: "data", guestPath: "/data" }], allow: ["127.0.0.1:7000", "example.com:443"], env: "\n  # a comment\n GREETING_STYLE=plain \nDEBUG=1" };
    expect(capabilityDiff(allowed, proposed)).toEqual({ preopens: [{ workspace: "data", guestPath: "/data" }], allow: ["example.com:443"], env: ["DEBUG=1"] });
    // The same folder seen at another path is another capability.
    expect(capabilityDiff(allowed, { ...allowed, preopens: [{ workspace: "default", guestPath: "/srv" }] }).preopens).toEqual([{ workspace: "default", guestPath: "/srv" }]);
    expect(isEmptyDiff(capabilityDiff(allowed, { preopens: [], allow: [], env: "# nothing\n\n" }))).toBe(true);
  });

  it("accumulate: what a tab accepted joins what it had, each entry once", () => {
    const a = { preopens: [WORKSPACE_PREOPEN], allow: ["127.0.0.1:7000"], env: "A=1" };
    const b = { preopens: [WORKSPACE_PREOPEN], allow: ["127.0.0.1:7000", "example.com:443"], env: "A=1\nB=2" };
    expect(unionOf(a, b)).toEqual({ preopens: [WORKSPACE_PREOPEN], allow: ["127.0.0.1:7000", "example.com:443"], env: "A=1\nB=2" });
    expect(isEmptyDiff(capabilityDiff(unionOf(a, b), b))).toBe(true);
  });

  it("declined: the project stays with only what was already allowed", () => {
    const d = narrowTo(helloProject(), fresh());
    expect(d.run.preopens).toEqual([WORKSPACE_PREOPEN]);
    expect(d.run.allow).toEqual([]);
    expect(d.run.env).toBe("");
    expect(isEmptyDiff(capabilityDiff(fresh(), proposedCapabilities(d)))).toBe(true);
    expect({ ...d, run: { ...d.run, preopens: [], allow: [], env: "" } }).toEqual({ ...helloProject(), run: { ...helloProject().run, preopens: [], allow: [], env: "" } });
    // What was allowed before stays: declining one new host keeps the other.
    expect(narrowTo(helloProject(), { ...fresh(), allow: ["127.0.0.1:7000"] }).run.allow).toEqual(["127.0.0.1:7000"]);
  });
});
