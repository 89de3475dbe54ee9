import { describe, expect, it } from "vitest";
import type { ComponentInfo } from "../../protocol/runtime";
import { isNetworked, workbenchTabFor } from "./reveal";

const info = (...imports: string[]): ComponentInfo => ({
  name: "c.wasm",
  size: 1,
  sha256: "",
  wit: "",
  imports: imports.map((name) => ({ name, providedBy: "host" })),
  exports: ["wasi:cli/run@0.3.0"],
  funcs: [],
  isCommand: true,
});

const HELLO = info("wasi:cli/stdout@0.3.0", "wasi:cli/environment@0.3.0");
const NET_CLIENT = info("wasi:cli/stdout@0.3.0", "wasi:sockets/types@0.3.0", "wasi:sockets/ip-name-lookup@0.3.0");
const NET_CLIENT_P2 = info("wasi:io/streams@0.2.6", "wasi:sockets/tcp@0.2.6");
const HTTP = info("wasi:http/types@0.3.0");

describe("isNetworked", () => {
  it("is true for wasi:sockets (0.3 and 0.2) and wasi:http, false otherwise", () => {
    expect(isNetworked(NET_CLIENT)).toBe(true);
    expect(isNetworked(NET_CLIENT_P2)).toBe(true);
    expect(isNetworked(HTTP)).toBe(true);
    expect(isNetworked(HELLO)).toBe(false);
    expect(isNetworked(info("wasi:socketsx/foo@1.0.0", "my:sockets/wasi@1.0.0"))).toBe(false);
  });
});

describe("workbenchTabFor", () => {
  it("brings the Network panel forward for a networked component", () => {
    expect(workbenchTabFor(NET_CLIENT, "component")).toBe("network");
    expect(workbenchTabFor(NET_CLIENT, "files")).toBe("network");
    expect(workbenchTabFor(NET_CLIENT, "network")).toBeNull();
  });

  it("sends it back for one that does not use the network, and otherwise leaves the tab alone", () => {
    expect(workbenchTabFor(HELLO, "network")).toBe("component");
    expect(workbenchTabFor(HELLO, "component")).toBeNull();
    expect(workbenchTabFor(HELLO, "files")).toBeNull();
  });

  it("brings the HTTP tab forward for a component that serves HTTP, and sends it back after", () => {
    const handler = { ...HTTP, exports: ["wasi:http/handler@0.3.0"], isCommand: false };
    expect(workbenchTabFor(handler, "component")).toBe("http");
    expect(workbenchTabFor(handler, "network")).toBe("http");
    expect(workbenchTabFor(handler, "http")).toBeNull();
    expect(workbenchTabFor(NET_CLIENT, "http")).toBe("network");
    expect(workbenchTabFor(HELLO, "http")).toBe("component");
  });

  it("never leaves an editor, and waits for the inspection", () => {
    expect(workbenchTabFor(NET_CLIENT, "write")).toBeNull();
    expect(workbenchTabFor(NET_CLIENT, "composition")).toBeNull();
    expect(workbenchTabFor(HELLO, "write")).toBeNull();
    expect(workbenchTabFor({ ...HTTP, exports: ["wasi:http/handler@0.3.0"], isCommand: false }, "learn")).toBeNull();
    expect(workbenchTabFor(HELLO, "learn")).toBeNull();
    expect(workbenchTabFor(null, "network")).toBeNull();
  });
});
