/**
 * IP addresses as the virtual network keeps them: family, canonical text, port. Converts to and
 * from wasi:sockets `ip-socket-address`, and classifies what the spec's error rules need
 * (unspecified, loopback, multicast, broadcast, IPv4-mapped) and what routing needs (synthetic
 * addresses handed out by ip-name-lookup).
 */

import { formatIpv4, formatIpv6, parseIpv4, parseIpv6, type Family, type Ipv4Tuple, type Ipv6Tuple } from "../../base/ip";

export type { Family } from "../../base/ip";

export interface SockAddr {
  family: Family;
  /** Canonical text: dotted quad, or lower-case compressed IPv6 (RFC 5952). */
  ip: string;
  port: number;
}

/** wasi:sockets `ip-socket-address`, as jco passes it (same shape in 0.2 and 0.3). */
export type WitSocketAddress =
  | { tag: "ipv4"; val: { port: number; address: Ipv4Tuple } }
  | { tag: "ipv6"; val: { port: number; flowInfo: number; address: Ipv6Tuple; scopeId: number } };

export type WitIpAddress = { tag: "ipv4"; val: Ipv4Tuple } | { tag: "ipv6"; val: Ipv6Tuple };

export function fromWit(a: WitSocketAddress): SockAddr {
  return a.tag === "ipv4"
    ? { family: "ipv4", ip: formatIpv4(a.val.address), port: a.val.port }
    : { family: "ipv6", ip: formatIpv6(a.val.address), port: a.val.port };
}

export function toWit(a: SockAddr): WitSocketAddress {
  if (a.family === "ipv4") return { tag: "ipv4", val: { port: a.port, address: parseIpv4(a.ip)! } };
  return { tag: "ipv6", val: { port: a.port, flowInfo: 0, address: parseIpv6(a.ip)!, scopeId: 0 } };
}

export function ipToWit(family: Family, ip: string): WitIpAddress {
  return family === "ipv4" ? { tag: "ipv4", val: parseIpv4(ip)! } : { tag: "ipv6", val: parseIpv6(ip)! };
}

export const UNSPECIFIED: Record<Family, string> = { ipv4: "0.0.0.0", ipv6: "::" };
export const LOOPBACK: Record<Family, string> = { ipv4: "127.0.0.1", ipv6: "::1" };

export function isUnspecified(a: { family: Family; ip: string }): boolean {
  return a.ip === UNSPECIFIED[a.family];
}

/** 127.0.0.0/8 and ::1: the playground's own host, shared by every component in it. */
export function isLoopback(a: { family: Family; ip: string }): boolean {
  return a.family === "ipv4" ? a.ip.startsWith("127.") : a.ip === "::1";
}

export function isMulticast(a: { family: Family; ip: string }): boolean {
  if (a.family === "ipv4") {
    const first = parseIpv4(a.ip)![0];
    return first >= 224 && first <= 239;
  }
  return parseIpv6(a.ip)![0] >= 0xff00;
}

export function isBroadcast(a: { family: Family; ip: string }): boolean {
  return a.family === "ipv4" && a.ip === "255.255.255.255";
}

export function isIpv4Mapped(a: { family: Family; ip: string }): boolean {
  if (a.family !== "ipv6") return false;
  const t = parseIpv6(a.ip)!;
  return t.slice(0, 5).every((g) => g === 0) && t[5] === 0xffff;
}

/** Text for messages and the Network panel: `1.2.3.4:80`, `[::1]:80`. */
/**
 * Where a socket bound to `bound` talks to `remote` from, as getsockname(2) reports it once
 * connected: a loopback destination is reached from that loopback address. The playground has no
 * address of its own beyond loopback, so a wildcard binding stays one toward relayed destinations.
 */
export function routeLocal(bound: SockAddr, remote: SockAddr): SockAddr {
  return isLoopback(remote) && isUnspecified(bound) ? { ...bound, ip: remote.ip } : bound;
}

export function formatSockAddr(a: SockAddr): string {
  return a.family === "ipv6" ? `[${a.ip}]:${a.port}` : `${a.ip}:${a.port}`;
}

/**
 * ip-name-lookup answers names with addresses from RFC 2544's benchmarking block (198.18.0.0/15)
 * and a unique-local IPv6 prefix, and remembers the name: a connect to one goes to the relay by
 * name, so the relay resolves it and applies its hostname allow-list.
 */
export const SYNTHETIC_V6_PREFIX = [0xfd57, 0x6973, 0x7000] as const;

export function isSynthetic(a: { family: Family; ip: string }): boolean {
  if (a.family === "ipv4") {
    const t = parseIpv4(a.ip)!;
    return t[0] === 198 && (t[1] === 18 || t[1] === 19);
  }
  const t = parseIpv6(a.ip)!;
  return t[0] === SYNTHETIC_V6_PREFIX[0] && t[1] === SYNTHETIC_V6_PREFIX[1] && t[2] === SYNTHETIC_V6_PREFIX[2];
}

/** The n-th synthetic address of a family (n from 1; 2^17 - 2 IPv4 addresses). */
export function syntheticAddress(family: Family, n: number): string {
  if (family === "ipv4") return formatIpv4([198, 18 + (n >> 16), (n >> 8) & 0xff, n & 0xff]);
  return formatIpv6([...SYNTHETIC_V6_PREFIX, 0, 0, 0, (n >>> 16) & 0xffff, n & 0xffff]);
}
