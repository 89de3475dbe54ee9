/**
 * The request panel's request as typed (method, path, header lines, body) and its check: what the
 * browser's fetch would refuse or silently change is an error that says so, line by line, before
 * anything is sent (RFC 9110 §5.1 token names and §5.5 field values; the Fetch standard's forbidden
 * request headers and methods).
 */
import type { PreviewRequestInit } from "../../client/PreviewClient";

export interface RequestDraft {
  method: string;
  /** Path and query as the handler sees it. */
  path: string;
  /** One `Name: value` per line. */
  headers: string;
  body: string;
}

/** The methods the picker offers; any other token may be typed. */
export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

export const EMPTY_DRAFT: RequestDraft = { method: "GET", path: "/", headers: "", body: "" };

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Field values: visible characters, spaces and tabs; no CR, LF, NUL or other controls.
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Headers the browser sets itself and will not let a page set (Fetch: forbidden request-header). */
const FORBIDDEN_HEADERS = new Set(["accept-charset", "accept-encoding", "access-control-request-headers", "access-control-request-method", "connection", "content-length", "cookie", "cookie2", "date", "dnt", "expect", "host", "keep-alive", "origin", "referer", "set-cookie", "te", "trailer", "transfer-encoding", "upgrade", "via"]);
const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);

/** Header lines as fields, each problem named by its line (blank lines are skipped). */
export function parseHeaderLines(text: string): { headers: Array<[string, string]>; errors: string[] } {
  const headers: Array<[string, string]> = [];
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    const at = `header line ${i + 1}`;
    const colon = line.indexOf(":");
    if (colon < 0) return void errors.push(`${at}: '${line.trim()}' has no ':' (write Name: value)`);
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name === "") return void errors.push(`${at}: the name before ':' is empty`);
    if (!TOKEN.test(name)) return void errors.push(`${at}: '${name}' is not a valid header name (letters, digits and !#$%&'*+-.^_\`|~ only)`);
    if (!FIELD_VALUE.test(value)) return void errors.push(`${at}: the value of '${name}' has a control character`);
    const lower = name.toLowerCase();
    if (FORBIDDEN_HEADERS.has(lower) || lower.startsWith("proxy-") || lower.startsWith("sec-")) {
      return void errors.push(`${at}: the browser sets '${name}' itself; a request from the page cannot`);
    }
    headers.push([name, value]);
  });
  return { headers, errors };
}

/** The path as sent: a leading `/` added; a whole URL or a space refused. */
function checkPath(path: string): { path: string; error: string | null } {
  const p = path.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p)) return { path: p, error: `path: give the path inside the served component (like /stream?n=3), not a URL` };
  if (/\s/.test(p)) return { path: p, error: "path: it has a space; write it as %20" };
  return { path: p === "" ? "/" : p.startsWith("/") ? p : `/${p}`, error: null };
}

export type CheckedRequest = { ok: true; request: PreviewRequestInit } | { ok: false; errors: string[] };

/** The request to send, or every reason it cannot be. */
export function checkRequest(d: RequestDraft): CheckedRequest {
  const errors: string[] = [];
  const method = d.method.trim();
  if (!TOKEN.test(method)) errors.push(`method: '${method}' is not a method name (a token such as GET or PURGE)`);
  else if (FORBIDDEN_METHODS.has(method.toUpperCase())) errors.push(`method: the browser refuses to send ${method.toUpperCase()}`);
  const upper = method.toUpperCase();
  if ((upper === "GET" || upper === "HEAD") && d.body !== "") errors.push(`body: a ${upper} request cannot have a body (fetch refuses it); clear it or use POST`);
  const path = checkPath(d.path);
  if (path.error) errors.push(path.error);
  const fields = parseHeaderLines(d.headers);
  errors.push(...fields.errors);
  if (errors.length > 0) return { ok: false, errors };
  // Fetch upper-cases the standard methods itself; others go as typed (methods are case-sensitive).
  return { ok: true, request: { method, path: path.path, headers: fields.headers, body: d.body === "" ? null : d.body } };
}
