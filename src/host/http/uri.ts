/**
 * The parts of a request's target as wasi:http sets them one by one: method (RFC 9110 §9, a
 * token), scheme, authority and path-with-query (RFC 3986 §3.1, §3.2, §3.3-3.4). Each check says
 * whether a guest's value is syntactically valid; `splitAuthority` gives the host and port to
 * connect to.
 */
import type * as Types from "../generated/host-p3/interfaces/wasi-http-types.js";
import { isToken } from "./fields";

export type Method = Types.Method;
export type Scheme = Types.Scheme;

const STANDARD = ["get", "head", "post", "put", "delete", "connect", "options", "trace", "patch"] as const;

/** A method as its variant: standard methods by their case (`other("GET")` is `get`). */
export function normalizeMethod(m: Method): Method | null {
  if (m.tag !== "other") return m;
  if (!isToken(m.val)) return null;
  const std = STANDARD.find((s) => s.toUpperCase() === m.val);
  return std ? { tag: std } : m;
}

export function methodName(m: Method): string {
  return m.tag === "other" ? m.val : m.tag.toUpperCase();
}

export function methodFromName(name: string): Method {
  return normalizeMethod({ tag: "other", val: name }) ?? { tag: "other", val: name };
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*$/;

export function normalizeScheme(s: Scheme): Scheme | null {
  if (s.tag !== "other") return s;
  if (!SCHEME.test(s.val)) return null;
  const lower = s.val.toLowerCase();
  if (lower === "http") return { tag: "HTTP" };
  if (lower === "https") return { tag: "HTTPS" };
  return s;
}

export function schemeName(s: Scheme): string {
  return s.tag === "other" ? s.val : s.tag.toLowerCase();
}

// RFC 3986: unreserved / pct-encoded ('%' alone, as Wasmtime takes it) / sub-delims.
const REG_NAME = /^[A-Za-z0-9\-._~%!$&'()*+,;=]+$/;
const USERINFO = /^[A-Za-z0-9\-._~%!$&'()*+,;=:]*$/;
const IP_LITERAL = /^\[[0-9A-Fa-f:.]+\]$/;
// Non-ASCII passes as the http crate (and so Wasmtime) lets it: UTF-8 the server percent-decodes.
const PCHARS = /^[A-Za-z0-9\-._~%!$&'()*+,;=:@/?\u0080-\u{10ffff}]*$/u;

/** `host[:port]` of an authority, user info dropped; null when it is not valid. */
export function splitAuthority(authority: string): { host: string; port: number | null } | null {
  const at = authority.lastIndexOf("@");
  if (at >= 0 && !USERINFO.test(authority.slice(0, at))) return null;
  const hostPort = authority.slice(at + 1);
  let host: string;
  let portText: string | undefined;
  if (hostPort.startsWith("[")) {
    const end = hostPort.indexOf("]");
    if (end < 0) return null;
    host = hostPort.slice(0, end + 1);
    if (!IP_LITERAL.test(host)) return null;
    const rest = hostPort.slice(end + 1);
    if (rest !== "" && !rest.startsWith(":")) return null;
    portText = rest === "" ? undefined : rest.slice(1);
  } else {
    const colon = hostPort.indexOf(":");
    host = colon < 0 ? hostPort : hostPort.slice(0, colon);
    portText = colon < 0 ? undefined : hostPort.slice(colon + 1);
    if (!REG_NAME.test(host)) return null;
  }
  if (portText === undefined) return { host, port: null };
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) return null;
  return { host, port: Number(portText) };
}

export function isAuthority(authority: string): boolean {
  return splitAuthority(authority) !== null;
}

/** A path and query as a request target carries it (no fragment, no spaces or controls). */
export function isPathWithQuery(p: string): boolean {
  return PCHARS.test(p);
}
