import { describe, expect, it } from "vitest";
import { check, checkAnswer, family, plan } from "./manifest";

describe("plan", () => {
  it("collects args after the program name, env in order and stdin writes", () => {
    const p = plan("cli-env", {
      operations: [
        { type: "run", env: { foo: "bar", baz: "42" }, args: ["a", "b"] },
        { type: "write", id: "stdin", payload: "hi" },
        { type: "wait" },
      ],
    });
    expect(p).toEqual({ root: null, args: ["cli-env.wasm", "a", "b"], env: [["foo", "bar"], ["baz", "42"]], stdin: "hi", net: [], serve: false, requests: [], unsupported: null });
  });
  it("defaults to run-then-exit-0 without a manifest", () => {
    expect(plan("random", {}).unsupported).toBeNull();
  });
  it("refuses operations it cannot perform, with the reason", () => {
    expect(plan("x", { operations: [{ type: "run" }, { type: "kill", signal: "SIGINT" }] }).unsupported).toMatch(/kill/);
    expect(plan("x", { operations: [{ type: "run" }, { type: "connect", id: "a", protocol_type: "udp" }] }).unsupported).toMatch(/udp/);
    expect(plan("x", { operations: [{ type: "run" }, { type: "send", id: "a", payload: "x" }] }).unsupported).toMatch(/before any connect/);
  });
  it("turns connect, send and recv into socket steps in order", () => {
    const p = plan("sockets-echo", {
      operations: [
        { type: "run" },
        { type: "connect", id: "echo", protocol_type: "tcp" },
        { type: "send", id: "echo", payload: "hi" },
        { type: "recv", id: "echo", payload: "hi" },
        { type: "wait" },
      ],
    });
    expect(p.unsupported).toBeNull();
    expect(p.net).toEqual([
      { op: "connect", id: "echo" },
      { op: "send", id: "echo", payload: "hi" },
      { op: "recv", id: "echo", payload: "hi" },
    ]);
  });
  it("takes the preopened root from the manifest or its run operation", () => {
    expect(plan("filesystem-io", { operations: [{ type: "run", root: "fs-tests.dir" }] }).root).toBe("fs-tests.dir");
    expect(plan("filesystem-io", { root: "fs-tests.dir" })).toMatchObject({ root: "fs-tests.dir", unsupported: null });
  });
});

describe("check", () => {
  const m = {
    operations: [
      { type: "run" },
      { type: "read", id: "stdout" as const, payload: "ab" },
      { type: "read", id: "stdout" as const, payload: "c" },
      { type: "wait", exit_code: 1 },
    ],
  };
  it("passes when reads match in order and the exit code is right", () => {
    expect(check(m, { exitCode: 1, failure: null, stdout: "abc", stderr: "" })).toBeNull();
  });
  it("reports the first mismatch", () => {
    expect(check(m, { exitCode: 1, failure: null, stdout: "abd", stderr: "" })).toBe('stdout: expected "c", got "d"');
    expect(check(m, { exitCode: 0, failure: null, stdout: "abc", stderr: "" })).toBe("expected exit code 1, got 0");
    expect(check(m, { exitCode: null, failure: "trap: boom", stdout: "", stderr: "" })).toBe("trap: boom");
  });
});

describe("family", () => {
  it("groups tests by WASI package", () => {
    expect(family("cli-stdio-roundtrip")).toBe("cli");
    expect(family("wall-clock")).toBe("clocks");
    expect(family("run-with-err")).toBe("cli");
    expect(family("filesystem-io")).toBe("filesystem");
  });
});

describe("the wasi:http/service world", () => {
  const echo = { method: "POST", path: "/echo", body: "hi", response: { status: 200, headers: { "content-type": "text/plain" }, body: "hi" } };

  it("serves the handler and sends the requests in order; kill is its end", () => {
    const p = plan("http-service-echo", { world: "wasi:http/service", operations: [{ type: "run" }, { type: "request", ...echo }, { type: "kill", signal: "SIGINT" }, { type: "wait" }] });
    expect(p).toMatchObject({ serve: true, requests: [echo], unsupported: null });
    expect(plan("x", { world: "wasi:cli/command", operations: [{ type: "request", ...echo }] }).unsupported).toMatch(/request/);
    expect(plan("x", { world: "wasi:keyvalue/imports" }).unsupported).toMatch(/world wasi:keyvalue/);
  });

  it("checks status, the expected headers (any case, among others) and the body", () => {
    expect(checkAnswer(echo, { status: 200, headers: [["Content-Type", "text/plain"], ["x-other", "1"]], body: "hi" })).toBeNull();
    expect(checkAnswer(echo, { status: 404, headers: [], body: "nope" })).toBe('POST /echo: expected status 200, got 404 ("nope")');
    expect(checkAnswer(echo, { status: 200, headers: [], body: "hi" })).toBe("POST /echo: expected header content-type: text/plain, got none");
    expect(checkAnswer(echo, { status: 200, headers: [["content-type", "text/plain"]], body: "ho" })).toBe('POST /echo: expected body "hi", got "ho"');
  });
});
