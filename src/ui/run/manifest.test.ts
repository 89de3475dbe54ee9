import { describe, expect, it } from "vitest";
import { DEFAULT_WORKSPACE } from "../../protocol/fs";
import { commandLine, runManifest, type RunRequest } from "./manifest";

const component = { name: "hello.wasm", bytes: new Uint8Array([0, 97, 115, 109]) };
const req: RunRequest = { args: ["Ada", "Lovelace"], env: [["GREETING", "hi"]], stdin: "héllo\n", invoke: { kind: "run" } };

describe("runManifest", () => {
  it("puts the program name first in argv, encodes stdin as UTF-8 and keeps env and the invocation", () => {
    const m = runManifest(component, req, { engine: "cm", allow: [], preopens: [], trace: false });
    expect(m.componentName).toBe("hello.wasm");
    expect(m.bytes).toBe(component.bytes);
    expect(m.args).toEqual(["hello.wasm", "Ada", "Lovelace"]);
    expect(m.env).toEqual([["GREETING", "hi"]]);
    expect([...m.stdin]).toEqual([...new TextEncoder().encode("héllo\n")]);
    expect(m.invoke).toEqual({ kind: "run" });
  });

  it("gives the run the settings' folders, engine, allow-list and tracing", () => {
    const preopens = [{ workspace: DEFAULT_WORKSPACE, guestPath: "/" }];
    const m = runManifest(component, { ...req, invoke: { kind: "call", iface: null, func: "add", args: ["1", "2"] } }, { engine: "jco", allow: ["example.com:443"], preopens, trace: true });
    expect(m.preopens).toEqual(preopens);
    expect(runManifest(component, req, { engine: "cm", allow: [], preopens: [], trace: false }).preopens).toEqual([]);
    expect(m.engine).toBe("jco");
    expect(m.network).toEqual({ allow: ["example.com:443"] });
    expect(m.trace).toBe(true);
    expect(m.invoke).toEqual({ kind: "call", iface: null, func: "add", args: ["1", "2"] });
    expect(m.calls).toBeUndefined();
  });

  it("asks for concurrent calls only when more than one", () => {
    const call = { ...req, invoke: { kind: "call" as const, iface: null, func: "add", args: ["1", "2"] } };
    expect(runManifest(component, { ...call, calls: 5 }, { engine: "cm", allow: [], preopens: [], trace: false }).calls).toBe(5);
    expect("calls" in runManifest(component, { ...call, calls: 1 }, { engine: "cm", allow: [], preopens: [], trace: false })).toBe(false);
  });
});

describe("commandLine", () => {
  it("is argv as the console echoes it", () => {
    expect(commandLine("hello.wasm", req)).toBe("hello.wasm Ada Lovelace");
    expect(commandLine("hello.wasm", { ...req, args: [] })).toBe("hello.wasm");
    expect(commandLine("gateway.wasm", { ...req, args: [], calls: 5 })).toBe("gateway.wasm (5 concurrent calls)");
  });
});
