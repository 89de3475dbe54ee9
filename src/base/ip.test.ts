import { describe, expect, it } from "vitest";
import { formatIpv6, parseIp, parseIpv4, parseIpv6 } from "./ip";

describe("IP text", () => {
  it("parses and prints IPv4", () => {
    expect(parseIpv4("127.0.0.1")).toEqual([127, 0, 0, 1]);
    expect(parseIpv4("256.0.0.1")).toBeNull();
    expect(parseIpv4("1.2.3")).toBeNull();
  });

  it("prints IPv6 in RFC 5952 form", () => {
    expect(formatIpv6([0, 0, 0, 0, 0, 0, 0, 1])).toBe("::1");
    expect(formatIpv6([0, 0, 0, 0, 0, 0, 0, 0])).toBe("::");
    expect(formatIpv6([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1])).toBe("2001:db8::1:0:0:1");
    expect(formatIpv6([0x2001, 0xdb8, 0, 1, 1, 1, 1, 1])).toBe("2001:db8:0:1:1:1:1:1");
    expect(formatIpv6([0xff02, 0, 0, 0, 0, 0, 0, 1])).toBe("ff02::1");
  });

  it("parses IPv6 with ::, brackets and a dotted tail", () => {
    expect(parseIpv6("::1")).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIpv6("[2001:DB8::1]")).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
    expect(parseIpv6("::ffff:127.0.0.1")).toEqual([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
    expect(parseIpv6("1::2::3")).toBeNull();
    expect(parseIpv6("1:2:3:4:5:6:7")).toBeNull();
    expect(parseIpv6("example.com")).toBeNull();
  });

  it("canonicalizes either family", () => {
    expect(parseIp("0:0:0:0:0:0:0:1")).toEqual({ family: "ipv6", ip: "::1" });
    expect(parseIp("10.0.0.1")).toEqual({ family: "ipv4", ip: "10.0.0.1" });
    expect(parseIp("localhost")).toBeNull();
  });
});
