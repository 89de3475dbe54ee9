import { describe, expect, it } from "vitest";
import { describePolicy, isLoopback, isRestricted, parseRelayConfig, RelayConfigError, resolvedAllowed, wispOptions } from "./relay-policy";

const parse = (o: object) => parseRelayConfig(o, "policy.json");

describe("relay policy file", () => {
  it("fills defaults and keeps what it was given", () => {
    expect(parse({ hosts: ["Example.COM"], ports: [80, [8000, 8099]] })).toEqual({
      host: "127.0.0.1",
      port: 0,
      hosts: ["example.com"],
      ports: [80, [8000, 8099]],
      streamsPerConnection: 64,
      streamsPerHost: 16,
      udp: true,
    });
  });

  it("names the file and the setting in every error", () => {
    expect(() => parse({ hosts: "*", ports: "*" })).toThrow("policy.json: 'hosts' must be a list");
    expect(() => parse({ hosts: ["a b"], ports: "*" })).toThrow("'hosts' entry 'a b'");
    expect(() => parse({ hosts: [], ports: [0] })).toThrow("policy.json: 'ports'[0]: 0 is not a port");
    expect(() => parse({ hosts: [], ports: [[9, 1]] })).toThrow("range [9, 1] is empty");
    expect(() => parse({ hosts: [], ports: "*", streamsPerHost: 0 })).toThrow("'streamsPerHost' must be a whole number");
    expect(() => parse({ hosts: [], ports: "*", allow: [] })).toThrow(RelayConfigError);
  });

  it("turns loopback and private access on only for listed literals", () => {
    expect(wispOptions(parse({ hosts: ["*"], ports: "*" }))).toMatchObject({ hostname_whitelist: null, allow_loopback_ips: false, allow_private_ips: false });
    expect(wispOptions(parse({ hosts: ["127.0.0.1"], ports: "*" }))).toMatchObject({ allow_loopback_ips: true, allow_private_ips: false });
    expect(wispOptions(parse({ hosts: ["10.1.2.3"], ports: [22] }))).toMatchObject({ allow_loopback_ips: false, allow_private_ips: true, port_whitelist: [22] });
  });

  it("matches names exactly and wildcards on subdomains", () => {
    const [exact, wild] = wispOptions(parse({ hosts: ["example.com", "*.example.org"], ports: "*" })).hostname_whitelist!;
    expect(exact!.test("example.com")).toBe(true);
    expect(exact!.test("www.example.com")).toBe(false);
    expect(exact!.test("exampleXcom")).toBe(false);
    expect(wild!.test("a.b.example.org")).toBe(true);
    expect(wild!.test("example.org")).toBe(false);
  });

  it("counts the new stream in wisp-js's total limit, and leaves its broken per-host limit off", () => {
    expect(wispOptions(parse({ hosts: [], ports: "*", streamsPerConnection: 3 }))).toMatchObject({ stream_limit_total: 4, stream_limit_per_host: -1 });
  });

  it("lets a name reach a loopback or private address only if that literal is what was asked for", () => {
    const c = parse({ hosts: ["*", "127.0.0.1", "10.0.0.5"], ports: "*" });
    expect(resolvedAllowed(c, "127.0.0.1", "127.0.0.1")).toBe(true);
    expect(resolvedAllowed(c, "rebind.example", "127.0.0.1")).toBe(false);
    expect(resolvedAllowed(c, "localhost", "127.0.0.1")).toBe(false);
    expect(resolvedAllowed(c, "10.0.0.5", "10.0.0.5")).toBe(true);
    expect(resolvedAllowed(c, "10.0.0.6", "10.0.0.6")).toBe(false);
    expect(resolvedAllowed(c, "example.com", "93.184.216.34")).toBe(true);
    expect(resolvedAllowed(parse({ hosts: ["localhost"], ports: "*" }), "localhost", "::1")).toBe(true);
  });

  it("classifies addresses, IPv4-mapped ones too", () => {
    expect(isLoopback("::ffff:127.0.0.1")).toBe(true);
    expect(isLoopback("::ffff:7f00:1")).toBe(true);
    expect(isLoopback("64:ff9b::7f00:1")).toBe(true);
    expect(isRestricted("64:ff9b::a00:1")).toBe(true);
    expect(isRestricted("64:ff9b::101:101")).toBe(false);
    expect(isRestricted("192.168.1.1")).toBe(true);
    expect(isRestricted("fd00::1")).toBe(true);
    expect(isRestricted("1.1.1.1")).toBe(false);
  });

  it("describes itself for the start-up banner", () => {
    expect(describePolicy(parse({ hosts: [], ports: [443], udp: false }))).toEqual([
      "destinations: (none: every destination is refused)",
      "ports: 443",
      "loopback: refused; private networks: refused",
      "limits: 64 streams per connection, 16 per host; UDP off",
    ]);
  });
});
