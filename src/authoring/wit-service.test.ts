import { describe, expect, it } from "vitest";
import { STARTERS } from "./templates";
import { WitService } from "./wit-service";

const witOf = (text: string, more: Record<string, string> = {}) => [{ path: "wit/world.wit", text }, ...Object.entries(more).map(([path, t]) => ({ path, text: t }))];

describe("WitService", () => {
  const svc = new WitService();

  it("check: a valid project has no diagnostics and lists its worlds", async () => {
    const r = await svc.check(STARTERS.js.files);
    expect(r).toMatchObject({ diagnostics: [], worlds: ["my-guest"], rootPackage: "playground:my-guest" });
  });

  it("check: an error is placed at its line and column", async () => {
    const r = await svc.check(witOf("package a:b;\nworld w {\n  export f: func() -> strin;\n}\n"));
    expect(r.diagnostics).toEqual([expect.objectContaining({ path: "wit/world.wit", line: 3, column: 23, endColumn: 28, message: "name `strin` does not exist" })]);
  });

  it("check: deps/ in the project, multi-file packages, files elsewhere ignored", async () => {
    const r = await svc.check([
      { path: "wit/world.wit", text: "package a:b;\nworld w {\n  import my:dep/api;\n  export t;\n}\n" },
      { path: "wit/types.wit", text: "interface t {\n  use my:dep/api.{thing};\n  f: func(x: thing);\n}\n" },
      { path: "wit/deps/my-dep/api.wit", text: "package my:dep;\ninterface api {\n  record thing { n: u32 }\n}\n" },
      { path: "guest.js", text: "not wit" },
    ]);
    expect(r.diagnostics).toEqual([]);
  });

  it("check: an error inside a project dependency points into it", async () => {
    const r = await svc.check([
      { path: "wit/world.wit", text: "package a:b;\nworld w {\n  import my:dep/api;\n}\n" },
      { path: "wit/deps/my-dep/api.wit", text: "package my:dep;\ninterface api {\n  f: func() -> nope;\n}\n" },
    ]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ path: "wit/deps/my-dep/api.wit", line: 3, column: 16 })]);
  });

  it("types: host and guest TypeScript for the world", async () => {
    const r = await svc.types(STARTERS.js.files, null);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.world).toBe("my-guest");
    const host = r.host.find((f) => f.name === "my-guest.d.ts")!.text;
    expect(host).toContain("export function greet(name: string): string;");
    expect(host).toContain("export function wait(millis: number): Promise<Duration>;");
    const guest = r.guest.find((f) => f.name === "my-guest.d.ts")!.text;
    expect(guest).toContain("declare module 'playground:my-guest/my-guest'");
    expect(r.guest.map((f) => f.name)).toContain("interfaces/wasi-clocks-monotonic-clock.d.ts");
    // What the starter's guest.js gets and returns: numbers (jco's host side says bigint).
    expect(r.guest.find((f) => f.name === "interfaces/wasi-clocks-types.d.ts")!.text).toContain("export type Duration = number;");
    expect(r.host.find((f) => f.name === "interfaces/wasi-clocks-types.d.ts")!.text).toContain("export type Duration = bigint;");
  });

  it("types: a package without a world says so", async () => {
    expect(await svc.types(witOf("package a:b;\ninterface i {}\n"), null)).toEqual({ ok: false, message: expect.stringContaining("no world") });
  });

  it("jsGuest and starter", async () => {
    expect(await svc.starter("wat-component")).toEqual([expect.objectContaining({ path: "component.wat" })]);
    const js = await svc.jsGuest(await svc.starter("js"), null);
    expect(js).toContain("export function greet(name) {");
    expect(await svc.jsGuest(witOf("package a:b;\ninterface i {}\n"), null)).toBeNull();
  });
});
