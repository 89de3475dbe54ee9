import { describe, expect, it } from "vitest";
import { formatSockAddr, fromWit, isBroadcast, isIpv4Mapped, isLoopback, isMulticast, isSynthetic, isUnspecified, syntheticAddress, toWit } from "./address";

const v6 = (ip: string) => ({ family: "ipv6" as const, ip });
const v4 = (ip: string) => ({ family: "ipv4" as const, ip });

describe("socket addresses", () => {
  it("convert to and from wasi:sockets ip-socket-address", () => {
    const a = { tag: "ipv6" as const, val: { port: 80, flowInfo: 0, address: [0, 0, 0, 0, 0, 0, 0, 1] as [number, number, number, number, number, number, number, number], scopeId: 0 } };
    expect(fromWit(a)).toEqual({ family: "ipv6", ip: "::1", port: 80 });
    expect(toWit(fromWit(a))).toEqual(a);
    expect(formatSockAddr(fromWit(a))).toBe("[::1]:80");
    expect(formatSockAddr(fromWit({ tag: "ipv4", val: { port: 7000, address: [127, 0, 0, 1] } }))).toBe("127.0.0.1:7000");
  });

  it("classify what the spec's error rules need", () => {
    expect(isUnspecified(v4("0.0.0.0")) && isUnspecified(v6("::"))).toBe(true);
    expect(isLoopback(v4("127.9.9.9")) && isLoopback(v6("::1"))).toBe(true);
    expect(isLoopback(v4("128.0.0.1"))).toBe(false);
    expect(isMulticast(v4("224.0.0.1")) && isMulticast(v4("239.255.0.1")) && isMulticast(v6("ff02::1"))).toBe(true);
    expect(isMulticast(v4("240.0.0.1"))).toBe(false);
    expect(isBroadcast(v4("255.255.255.255"))).toBe(true);
    expect(isIpv4Mapped(v6("::ffff:7f00:1"))).toBe(true);
    expect(isIpv4Mapped(v6("::1"))).toBe(false);
  });

  it("hand out synthetic addresses that are recognised as such", () => {
    expect(syntheticAddress("ipv4", 1)).toBe("198.18.0.1");
    expect(syntheticAddress("ipv4", 70000)).toBe("198.19.17.112");
    expect(syntheticAddress("ipv6", 1)).toBe("fd57:6973:7000::1");
    expect(isSynthetic(v4("198.19.17.112")) && isSynthetic(v6("fd57:6973:7000::1"))).toBe(true);
    expect(isSynthetic(v4("198.20.0.1")) || isSynthetic(v6("fd57:6973:7001::1"))).toBe(false);
  });
});
