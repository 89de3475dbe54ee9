import { describe, expect, it } from "vitest";
import { describeRuns, parseStoppedRuns, serializeRunning, type StoppedRun } from "./backgroundRuns";

const echo: StoppedRun = {
  name: "echo-server.wasm",
  sha256: "b".repeat(64),
  req: { args: ["7000"], env: [["MODE", "tcp"]], stdin: "", invoke: { kind: "run" } },
  settings: { engine: "cm", allow: ["127.0.0.1:7000"], preopens: [{ workspace: "default", guestPath: "/" }] },
};

describe("background runs across a reload", () => {
  it("round-trip what started each run", () => {
    const call: StoppedRun = { ...echo, name: "x.wasm", req: { ...echo.req, invoke: { kind: "call", iface: null, func: "serve", args: ["1"] } } };
    expect(parseStoppedRuns(serializeRunning([echo, call]))).toEqual([echo, call]);
  });

  it("drop anything malformed rather than run it", () => {
    expect(parseStoppedRuns(null)).toEqual([]);
    expect(parseStoppedRuns("{not json")).toEqual([]);
    expect(parseStoppedRuns(JSON.stringify({ runs: [echo] }))).toEqual([]);
    const bad = [
      { ...echo, sha256: "zz" },
      { ...echo, settings: { ...echo.settings, engine: "wasmtime" } },
      { ...echo, req: { ...echo.req, env: [["A"]] } },
      { ...echo, req: { ...echo.req, invoke: { kind: "call", func: 1 } } },
    ];
    expect(parseStoppedRuns(JSON.stringify([...bad, echo]))).toEqual([echo]);
  });

  it("name the runs", () => {
    expect(describeRuns([echo])).toBe("echo-server.wasm 7000");
    expect(describeRuns([echo, { ...echo, name: "a.wasm", req: { ...echo.req, args: [] } }, echo])).toBe("echo-server.wasm 7000, a.wasm and echo-server.wasm 7000");
  });
});
