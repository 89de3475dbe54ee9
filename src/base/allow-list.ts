/**
 * A run's network allow-list: which destinations outside the playground it may reach through the
 * relay. One entry per line, `HOST:PORT`:
 *   HOST  a name (`example.com`), a wildcard (`*.example.com`), an IP (`127.0.0.1`, `[::1]`) or `*`
 *   PORT  a number, a range (`8000-8099`) or `*`
 * Names match case-insensitively and exactly (a trailing dot is ignored); IPs match by value. An
 * empty list denies everything (the default).
 */
import { parseIp } from "./ip";

export interface AllowEntry {
  /** Lower-case name, `*.suffix`, `*`, or a canonical IP literal. */
  host: string;
  ports: [number, number];
  /** The entry as written, for display. */
  text: string;
}

export type ParsedEntry = { ok: true; entry: AllowEntry } | { ok: false; error: string };

const NAME = /^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/;

function parsePort(text: string): [number, number] | null {
  if (text === "*") return [1, 65535];
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  if (!m) return null;
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  if (lo < 1 || hi > 65535 || lo > hi) return null;
  return [lo, hi];
}

/** Normalizes a host as a connect names it: canonical IP text, or a lower-case name. */
export function normalizeHost(host: string): string {
  const h = host.trim().toLowerCase().replace(/\.$/, "");
  return parseIp(h.startsWith("[") ? h.slice(1, -1) : h)?.ip ?? h;
}

export function parseAllowEntry(line: string): ParsedEntry {
  const text = line.trim();
  let host: string;
  let port: string;
  const bracket = /^\[([^\]]+)\]:(.+)$/.exec(text);
  if (bracket) {
    [, host, port] = bracket as unknown as [string, string, string];
  } else {
    const i = text.lastIndexOf(":");
    if (i <= 0) return { ok: false, error: `'${text}': write HOST:PORT, e.g. example.com:443 or 127.0.0.1:8000-8099` };
    host = text.slice(0, i);
    port = text.slice(i + 1);
    if (host.includes(":")) return { ok: false, error: `'${text}': put an IPv6 address in brackets, e.g. [::1]:8080` };
  }
  const ports = parsePort(port);
  if (!ports) return { ok: false, error: `'${text}': '${port}' is not a port (1-65535), a range like 8000-8099, or *` };
  const ip = parseIp(host);
  const name = host.toLowerCase().replace(/\.$/, "");
  if (!ip && name !== "*" && !NAME.test(name)) return { ok: false, error: `'${text}': '${host}' is not a host name, *.domain, * or IP address` };
  return { ok: true, entry: { host: ip ? ip.ip : name, ports, text } };
}

/** Parses a whole list (blank lines and `#` comments skipped); errors name their line. */
export function parseAllowList(text: string): { entries: AllowEntry[]; errors: string[] } {
  const entries: AllowEntry[] = [];
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.replace(/#.*$/, "").trim();
    if (!t) return;
    const p = parseAllowEntry(t);
    if (p.ok) entries.push(p.entry);
    else errors.push(`line ${i + 1}: ${p.error}`);
  });
  return { entries, errors };
}

/** Whether `host:port` (host as the guest named it: a name or an IP literal) is allowed. */
export function allows(entries: readonly AllowEntry[], host: string, port: number): boolean {
  const h = normalizeHost(host);
  const isIp = parseIp(h) !== null;
  return entries.some((e) => {
    if (port < e.ports[0] || port > e.ports[1]) return false;
    if (e.host === "*") return true;
    if (e.host.startsWith("*.")) return !isIp && h.endsWith(e.host.slice(1));
    return e.host === h;
  });
}
