/**
 * The Wisp relay's policy, read from one JSON file (server/relay.config.json unless RELAY_CONFIG
 * names another): where the relay listens, which destinations it proxies to, stream limits.
 * Pure: parsing, validation, the mapping onto @mercuryworkshop/wisp-js options, and the check of
 * an address the relay resolved. See server/README.md for the format.
 */
import { BlockList, isIP } from "node:net";

export type PortRange = number | [number, number];

export interface RelayConfig {
  /** Interface the relay listens on; keep it on localhost unless you mean to share it. */
  host: string;
  /** 0 lets the system pick a free port (printed at start). */
  port: number;
  /**
   * Destination hosts: `*` (any public host), a name (`example.com`), a wildcard (`*.example.com`)
   * or an IP literal. Loopback and private addresses are refused unless listed here literally
   * (`127.0.0.1`, `::1`, `10.0.0.5`, or `localhost` for loopback).
   */
  hosts: string[];
  /** Destination ports: numbers, `[from, to]` ranges, or `"*"` for any. */
  ports: PortRange[] | "*";
  /** Most streams one Wisp connection (one playground) may have open at once. */
  streamsPerConnection: number;
  /** Most streams one Wisp connection may have open to one host. */
  streamsPerHost: number;
  udp: boolean;
}

export class RelayConfigError extends Error {
  override name = "RelayConfigError";
}

const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

/** Addresses a public relay must not reach unless told to: private, link-local, shared, reserved. */
const restricted = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  restricted.addSubnet(net, bits, "ipv4");
}
for (const [net, bits] of [
  ["::", 128],
  ["64:ff9b:1::", 48],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  restricted.addSubnet(net, bits, "ipv6");
}

/** The eight 16-bit groups of an IPv6 address, in any of its spellings; null for anything else. */
function ipv6Groups(ip: string): number[] | null {
  if (isIP(ip) !== 6) return null;
  // The URL parser spells an IPv6 address one way: lowercase hex, "::" for the longest zero run.
  const text = new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  const [head, tail] = text.split("::") as [string, string | undefined];
  const part = (t: string | undefined) => (t ? t.split(":").map((g) => parseInt(g, 16)) : []);
  const left = part(head);
  const right = part(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * The IPv4 address an IPv6 one stands for, else the address itself: IPv4-mapped
 * (`::ffff:a.b.c.d`, either spelling), NAT64 (`64:ff9b::/96`, RFC 6052) and IPv4-compatible
 * (`::a.b.c.d`, deprecated) addresses reach the IPv4 address in their last 32 bits.
 */
function unmapped(ip: string): string {
  const g = ipv6Groups(ip);
  if (!g) return ip;
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const mapped = zeros(0, 5) && g[5] === 0xffff;
  const nat64 = g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6);
  const compatible = zeros(0, 6) && !(g[6] === 0 && g[7]! <= 1);
  if (!mapped && !nat64 && !compatible) return ip;
  return [g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff].join(".");
}

function family(ip: string): "ipv4" | "ipv6" {
  return isIP(ip) === 6 ? "ipv6" : "ipv4";
}

export function isLoopback(ip: string): boolean {
  const a = unmapped(ip);
  return isIP(a) !== 0 && loopback.check(a, family(a));
}

export function isRestricted(ip: string): boolean {
  const a = unmapped(ip);
  return isIP(a) !== 0 && restricted.check(a, family(a));
}

function checkPort(p: unknown, where: string): number {
  if (typeof p !== "number" || !Number.isInteger(p) || p < 1 || p > 65535) throw new RelayConfigError(`${where}: ${JSON.stringify(p)} is not a port (1-65535)`);
  return p;
}

const HOST_PATTERN = /^(\*|(\*\.)?[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?)$/i;

/** Reads and checks a config object (the parsed JSON file); `source` names it in errors. */
export function parseRelayConfig(raw: unknown, source: string): RelayConfig {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new RelayConfigError(`${source}: expected a JSON object`);
  const o = raw as Record<string, unknown>;
  const known = new Set(["$comment", "host", "port", "hosts", "ports", "streamsPerConnection", "streamsPerHost", "udp"]);
  for (const k of Object.keys(o)) if (!known.has(k)) throw new RelayConfigError(`${source}: unknown setting '${k}' (known: ${[...known].slice(1).join(", ")})`);
  const host = o.host ?? "127.0.0.1";
  if (typeof host !== "string" || host === "") throw new RelayConfigError(`${source}: 'host' must be an interface name or address`);
  const port = o.port ?? 0;
  if (port !== 0) checkPort(port, `${source}: 'port'`);
  if (!Array.isArray(o.hosts) || o.hosts.some((h) => typeof h !== "string")) throw new RelayConfigError(`${source}: 'hosts' must be a list of host names, patterns or IP addresses`);
  const hosts = (o.hosts as string[]).map((h) => h.trim().toLowerCase());
  for (const h of hosts) if (!isIP(h) && !HOST_PATTERN.test(h)) throw new RelayConfigError(`${source}: 'hosts' entry '${h}' is not a host name, '*.domain' pattern, '*' or IP address`);
  let ports: PortRange[] | "*";
  if (o.ports === "*") ports = "*";
  else if (Array.isArray(o.ports)) {
    ports = o.ports.map((p, i): PortRange => {
      const where = `${source}: 'ports'[${i}]`;
      if (Array.isArray(p) && p.length === 2) {
        const [a, b] = [checkPort(p[0], where), checkPort(p[1], where)];
        if (a > b) throw new RelayConfigError(`${where}: range [${a}, ${b}] is empty`);
        return [a, b];
      }
      return checkPort(p, where);
    });
  } else throw new RelayConfigError(`${source}: 'ports' must be "*" or a list of ports and [from, to] ranges`);
  const limit = (k: string, dflt: number) => {
    const v = o[k] ?? dflt;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new RelayConfigError(`${source}: '${k}' must be a whole number of at least 1`);
    return v;
  };
  const udp = o.udp ?? true;
  if (typeof udp !== "boolean") throw new RelayConfigError(`${source}: 'udp' must be true or false`);
  return {
    host,
    port: port as number,
    hosts,
    ports,
    streamsPerConnection: limit("streamsPerConnection", 64),
    streamsPerHost: limit("streamsPerHost", 16),
    udp,
  };
}

function hostRegExp(pattern: string): RegExp {
  const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  if (pattern.startsWith("*.")) return new RegExp(`^(?:[^.]+\\.)+${escaped(pattern.slice(2))}$`, "i");
  return new RegExp(`^${escaped(pattern)}$`, "i");
}

/** The subset of wisp-js's `server.options` this policy sets. */
export interface WispServerOptions {
  hostname_whitelist: RegExp[] | null;
  port_whitelist: PortRange[] | null;
  allow_direct_ip: boolean;
  allow_private_ips: boolean;
  allow_loopback_ips: boolean;
  stream_limit_per_host: number;
  stream_limit_total: number;
  allow_udp_streams: boolean;
  allow_tcp_streams: boolean;
}

/**
 * wisp-js checks a host and a port list separately, and loopback/private destinations with two
 * switches for every host. We turn a switch on only when some listed host is such a literal; the
 * resolved-address check (`resolvedAllowed`) then keeps other names from reaching those addresses.
 *
 * wisp-js 0.5.0 limits: its per-host limit throws (it iterates the stream table, an object), so
 * the relay's destination sockets count streams per host instead; its total limit counts the new
 * stream itself, hence the + 1.
 */
export function wispOptions(c: RelayConfig): WispServerOptions {
  const literals = c.hosts.filter((h) => isIP(h) !== 0);
  return {
    hostname_whitelist: c.hosts.includes("*") ? null : c.hosts.map(hostRegExp),
    port_whitelist: c.ports === "*" ? null : c.ports,
    allow_direct_ip: true,
    allow_loopback_ips: c.hosts.includes("localhost") || literals.some(isLoopback),
    allow_private_ips: literals.some((ip) => !isLoopback(ip) && isRestricted(ip)),
    stream_limit_per_host: -1,
    stream_limit_total: c.streamsPerConnection + 1,
    allow_udp_streams: c.udp,
    allow_tcp_streams: true,
  };
}

/**
 * Whether the relay may connect to `ip`, which `hostname` (as the client asked for it) resolved to.
 * Loopback and private addresses are reached only when the client named a listed literal (or
 * `localhost`, listed, for loopback): a listed public name that resolves to 127.0.0.1 is refused.
 */
export function resolvedAllowed(c: RelayConfig, hostname: string, ip: string): boolean {
  const name = hostname.toLowerCase();
  if (isLoopback(ip)) return (name === "localhost" && c.hosts.includes("localhost")) || (name === ip && c.hosts.includes(ip));
  if (isRestricted(ip)) return name === ip && c.hosts.includes(ip);
  return true;
}

const portText = (p: PortRange) => (typeof p === "number" ? String(p) : `${p[0]}-${p[1]}`);

/** The policy in a few lines, for the start-up banner. */
export function describePolicy(c: RelayConfig): string[] {
  const hosts = c.hosts.length === 0 ? "(none: every destination is refused)" : c.hosts.join(", ");
  const o = wispOptions(c);
  return [
    `destinations: ${hosts}`,
    `ports: ${c.ports === "*" ? "any" : c.ports.map(portText).join(", ")}`,
    `loopback: ${o.allow_loopback_ips ? "only as listed" : "refused"}; private networks: ${o.allow_private_ips ? "only as listed" : "refused"}`,
    `limits: ${c.streamsPerConnection} streams per connection, ${c.streamsPerHost} per host; UDP ${c.udp ? "on" : "off"}`,
  ];
}
