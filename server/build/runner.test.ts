import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ComponentizeRunner } from "./runner";

describe("ComponentizeRunner", () => {
  it("kills a build past its time limit; the next build gets a fresh process", async () => {
    const root = mkdtempSync(join(tmpdir(), "runner-test-"));
    mkdirSync(join(root, "wit"));
    writeFileSync(join(root, "wit", "world.wit"), "package demo:x;\nworld x {\n  export f: func() -> u32;\n}\n");
    symlinkSync(new URL("../../wit/deps", import.meta.url).pathname, join(root, "wit", "deps"), "dir");
    const job = (js: string) => {
      writeFileSync(join(root, "guest.js"), js);
      return { witDir: join(root, "wit"), jsPath: join(root, "guest.js"), moduleRoot: root, world: null, outPath: join(root, "out.wasm") };
    };
    const runner = new ComponentizeRunner(120_000);
    try {
      const slow = await runner.run(job("for (;;) {}\nexport function f() { return 1; }\n"), () => {}, 2_000);
      expect(slow).toMatchObject({ ok: false, timedOut: true });
      const ok = await runner.run(job("export function f() { return 1; }\n"), () => {});
      expect(ok, JSON.stringify(ok)).toMatchObject({ ok: true });
    } finally {
      runner.dispose();
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});
