import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { componentize } from "componentize-qjs";
import { describe, expect, it } from "vitest";
import { WitModel } from "../wit/model";
import { VENDORED_WIT } from "../wit/vendored";
import { jsGuestFromWorld, STARTERS } from "./templates";

const RICH = `package demo:rich;

interface store {
  record entry { key: string, size: u64 }
  enum mode { read, write }
  resource bucket {
    constructor(name: string);
    get: func(key: string) -> option<entry>;
    put: async func(e: entry) -> result<_, string>;
    open: static func(name: string) -> bucket;
  }
  list-keys: func(m: mode) -> list<string>;
}

world rich {
  import wasi:cli/stdout@0.3.0;
  export store;
  export wasi:cli/run@0.3.0;
  export tools: interface {
    shout: func(s: string) -> string;
  }
  export count: async func(n: u32) -> tuple<u32, bool>;
}
`;

function guestFor(wit: string, world: string | null = null): string {
  const model = new WitModel([{ path: "wit/world.wit", text: wit, group: "project" }, ...VENDORED_WIT]);
  const pkg = model.groupPackage.get("project")!;
  const js = jsGuestFromWorld(model, pkg, world);
  if (js === null) throw new Error("no world");
  return js;
}

describe("jsGuestFromWorld", () => {
  it("stubs every export: functions, interfaces as objects, resources as classes; imports by name", () => {
    const js = guestFor(RICH);
    expect(js).toContain('import { writeViaStream } from "wasi:cli/stdout@0.3.0";');
    expect(js).toContain("class Bucket {\n  constructor(name) {}");
    expect(js).toContain("  get(key) {\n    return null;\n  }");
    expect(js).toContain("  async put(e) {\n    return undefined;\n  }");
    expect(js).toContain("  static open(name) {");
    expect(js).toContain("export const store = {\n  listKeys(m) {\n    return [];\n  },\n  Bucket,\n};");
    expect(js).toContain("export const run = {\n  async run() {");
    expect(js).toContain("export const tools = {\n  shout(s) {\n    return \"\";\n  },\n};");
    expect(js).toContain("export async function count(n) {\n  return [0, false];\n}");
  });

  it("the generated guest builds with componentize-qjs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "template-test-"));
    try {
      writeFileSync(join(dir, "world.wit"), RICH);
      symlinkSync(new URL("../../wit/deps", import.meta.url).pathname, join(dir, "deps"), "dir");
      const jsPath = join(dir, "guest.js");
      const js = guestFor(RICH);
      writeFileSync(jsPath, js);
      const { component } = await componentize({ witPath: dir, jsSource: js, jsPath });
      expect(component.length).toBeGreaterThan(1000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("the JS starter's guest is what its world generates, give or take the bodies", () => {
    const wit = STARTERS.js.files.find((f) => f.path === "wit/world.wit")!.text;
    const js = guestFor(wit);
    expect(js).toContain("export function greet(name) {");
    // A duration is a u64: componentize-qjs wants a JS number for it, never a BigInt.
    expect(js).toContain("export async function wait(millis) {\n  return 0;\n}");
    expect(js).toContain('import { now, getResolution, waitUntil, waitFor } from "wasi:clocks/monotonic-clock@0.3.0";');
  });

  it("stubs the exports and imports that arrive through `include`", () => {
    const wit = `package demo:svc;\n\nworld svc {\n  include wasi:http/service@0.3.0;\n  export extra: func() -> u32;\n}\n`;
    const js = guestFor(wit);
    expect(js).toContain("export const handler = {\n  async handle(request) {");
    expect(js).toContain('import { send } from "wasi:http/client@0.3.0";');
    expect(js).toContain('import { now, getResolution, waitUntil, waitFor } from "wasi:clocks/monotonic-clock@0.3.0";');
    expect(js).toContain("export function extra() {");
    // Not built here: componentize-qjs 0.4 refuses any world importing wasi:http/client@0.3.0
    // ("instance export `send` has the wrong type: type mismatch with async").
  });
});
