/**
 * HTTP/1.1 on a byte connection (RFC 9112): heads written and parsed, bodies framed by
 * content-length or chunked transfer coding (§7.1, trailers included) or by the connection's end.
 * Pure over a `ByteSource`, so the client, the in-page server and the tests share one codec.
 */
import { fromLatin1, isFieldValue, isToken, latin1, type FieldEntry } from "./fields";
import { httpError } from "./errors";

/** Where bytes come from: the next chunk, or null at the end of the connection. */
export interface ByteSource {
  read(): Promise<Uint8Array | null>;
}

/** Largest head (start line and fields) read before giving up. */
export const MAX_HEAD = 64 * 1024;
/** Largest chunk-size line or trailer section. */
const MAX_LINE = 8 * 1024;

const CRLF = "\r\n";
const enc = (s: string) => fromLatin1(s);

/** A buffered reader over a byte source; what it read past a head stays for the body. */
export class Reader {
  #buf = new Uint8Array(0);
  #eof = false;
  constructor(private readonly src: ByteSource) {}

  /** Bytes buffered and not yet taken. */
  get buffered(): number {
    return this.#buf.length;
  }

  async #fill(): Promise<boolean> {
    if (this.#eof) return false;
    const chunk = await this.src.read();
    if (chunk === null) {
      this.#eof = true;
      return false;
    }
    if (chunk.length === 0) return true;
    const next = new Uint8Array(this.#buf.length + chunk.length);
    next.set(this.#buf);
    next.set(chunk, this.#buf.length);
    this.#buf = next;
    return true;
  }

  #take(n: number): Uint8Array {
    const out = this.#buf.subarray(0, n);
    this.#buf = this.#buf.subarray(n);
    return out;
  }

  /**
   * Everything up to and including the first empty line (a head, or a trailer section, which may
   * be that empty line alone: `mayBeEmpty`), or null when the connection ended before any byte.
   * `tooBig` is thrown past `max` bytes.
   */
  async section(max: number, tooBig: () => never, incomplete: () => never, mayBeEmpty = false): Promise<Uint8Array | null> {
    let from = 0;
    for (;;) {
      if (mayBeEmpty && this.#buf.length >= 1) {
        if (this.#buf[0] === 0x0a) return this.#take(1);
        if (this.#buf[0] === 0x0d && this.#buf.length >= 2 && this.#buf[1] === 0x0a) return this.#take(2);
      }
      const end = this.#buf.length < 2 && mayBeEmpty ? -1 : findBlankLine(this.#buf, from);
      if (end >= 0) return this.#take(end);
      from = Math.max(0, this.#buf.length - 3);
      if (this.#buf.length > max) tooBig();
      if (!(await this.#fill())) {
        if (this.#buf.length === 0) return null;
        incomplete();
      }
    }
  }

  /** One line without its CRLF. */
  async line(max: number, incomplete: () => never): Promise<string> {
    for (;;) {
      const i = this.#buf.indexOf(0x0a);
      if (i >= 0) return latin1(this.#take(i + 1)).replace(/\r?\n$/, "");
      if (this.#buf.length > max) httpError({ tag: "HTTP-protocol-error" }, "a chunk-size line is too long");
      if (!(await this.#fill())) incomplete();
    }
  }

  /** Up to `max` bytes (at least one), or null at the end of the connection. */
  async some(max: number): Promise<Uint8Array | null> {
    if (this.#buf.length === 0 && !(await this.#fill()) && this.#buf.length === 0) return null;
    return this.#take(Math.min(max, this.#buf.length)).slice();
  }
}

/** Index just past the first CRLFCRLF (or LFLF) at or after `from`; -1 if none. */
function findBlankLine(buf: Uint8Array, from: number): number {
  for (let i = from; i < buf.length; i++) {
    if (buf[i] !== 0x0a) continue;
    if (buf[i + 1] === 0x0a) return i + 2;
    if (buf[i + 1] === 0x0d && buf[i + 2] === 0x0a) return i + 3;
  }
  return -1;
}

export interface Head {
  /** Request: method, target, version. Response: version, status, reason. */
  start: [string, string, string];
  fields: FieldEntry[];
}

/** Parses a head; `bad(detail)` throws the side's error (request or response). */
export function parseHead(bytes: Uint8Array, bad: (detail: string) => never): Head {
  const lines = latin1(bytes).split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  const first = lines.shift() ?? "";
  const m = /^(\S+) (\S+) ?(.*)$/.exec(first);
  if (!m) bad(`malformed start line ${JSON.stringify(first.slice(0, 80))}`);
  return { start: [m![1]!, m![2]!, m![3]!], fields: parseFields(lines, bad) };
}

/** Field lines (`name: value`), as a head or trailer section carries them. */
export function parseFields(lines: string[], bad: (detail: string) => never): FieldEntry[] {
  const fields: FieldEntry[] = [];
  for (const line of lines) {
    if (line === "") continue;
    if (line.startsWith(" ") || line.startsWith("\t")) bad("obsolete line folding in a field");
    const colon = line.indexOf(":");
    const name = colon > 0 ? line.slice(0, colon) : "";
    if (!isToken(name)) bad(`malformed field line ${JSON.stringify(line.slice(0, 80))}`);
    const value = fromLatin1(line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, ""));
    if (!isFieldValue(value)) bad(`field '${name}' has a control character in its value`);
    fields.push([name.toLowerCase(), value]);
  }
  return fields;
}

function fieldLines(fields: readonly FieldEntry[]): string {
  return fields.map(([k, v]) => `${k}: ${latin1(v)}${CRLF}`).join("");
}

export function requestHead(method: string, target: string, fields: readonly FieldEntry[]): Uint8Array {
  return enc(`${method} ${target} HTTP/1.1${CRLF}${fieldLines(fields)}${CRLF}`);
}

export function responseHead(status: number, fields: readonly FieldEntry[]): Uint8Array {
  return enc(`HTTP/1.1 ${status} ${REASONS[status] ?? ""}${CRLF}${fieldLines(fields)}${CRLF}`);
}

/** One chunk of a chunked body (§7.1); empty data would end the body, so it writes nothing. */
export function chunk(data: Uint8Array): Uint8Array {
  if (data.length === 0) return data;
  const size = enc(`${data.length.toString(16)}${CRLF}`);
  const out = new Uint8Array(size.length + data.length + 2);
  out.set(size);
  out.set(data, size.length);
  out.set([0x0d, 0x0a], size.length + data.length);
  return out;
}

/** The last chunk and the trailer section. */
export function lastChunk(trailers: readonly FieldEntry[]): Uint8Array {
  return enc(`0${CRLF}${fieldLines(trailers)}${CRLF}`);
}

/** How a message's body is delimited (RFC 9112 §6.3). */
export type Framing = { kind: "none" } | { kind: "length"; length: number } | { kind: "chunked" } | { kind: "close" };

/** A message's framing from its fields; `bad` throws the side's protocol error. */
export function framing(fields: readonly FieldEntry[], isResponse: boolean, bad: (detail: string) => never): Framing {
  const te = fields.filter(([k]) => k === "transfer-encoding").map(([, v]) => latin1(v).toLowerCase());
  if (te.length > 0) {
    const codings = te.join(",").split(",").map((c) => c.trim()).filter(Boolean);
    if (codings[codings.length - 1] === "chunked") return { kind: "chunked" };
    if (!isResponse) bad(`transfer-encoding '${codings.join(", ")}' does not end in chunked`);
    return { kind: "close" };
  }
  const lengths = [...new Set(fields.filter(([k]) => k === "content-length").flatMap(([, v]) => latin1(v).split(",").map((s) => s.trim())))];
  if (lengths.length > 1 || (lengths.length === 1 && !/^\d{1,15}$/.test(lengths[0]!))) bad(`invalid content-length ${JSON.stringify(lengths.join(", "))}`);
  if (lengths.length === 1) return { kind: "length", length: Number(lengths[0]) };
  return isResponse ? { kind: "close" } : { kind: "none" };
}

/** Whether a response to `method` with `status` has no body whatever its fields say. */
export function bodyless(method: string, status: number): boolean {
  return method === "HEAD" || (status >= 100 && status < 200) || status === 204 || status === 304;
}

/** Reads a body as its framing says; `next()` is the next chunk of content, null at its end. */
export class BodyReader {
  #left: number;
  #chunkLeft = 0;
  #done: boolean;
  /** The trailer section of a chunked body, once read. */
  trailers: FieldEntry[] | null = null;

  constructor(
    private readonly reader: Reader,
    private readonly frame: Framing,
    private readonly onError: ProtocolErrors,
    private readonly chunkMax = 64 * 1024,
  ) {
    this.#left = frame.kind === "length" ? frame.length : 0;
    this.#done = frame.kind === "none" || (frame.kind === "length" && frame.length === 0);
  }

  /** True once the whole body (and trailers) was read: the connection may carry another message. */
  get done(): boolean {
    return this.#done;
  }

  async next(): Promise<Uint8Array | null> {
    if (this.#done) return null;
    switch (this.frame.kind) {
      case "length": {
        const data = await this.reader.some(Math.min(this.#left, this.chunkMax));
        if (data === null) this.onError.incomplete();
        this.#left -= data!.length;
        if (this.#left === 0) this.#done = true;
        return data;
      }
      case "close": {
        const data = await this.reader.some(this.chunkMax);
        if (data === null) this.#done = true;
        return data;
      }
      case "chunked":
        return this.#chunked();
      default:
        return null;
    }
  }

  async #chunked(): Promise<Uint8Array | null> {
    if (this.#chunkLeft === 0) {
      const line = await this.reader.line(MAX_LINE, () => this.onError.incomplete());
      const m = /^([0-9A-Fa-f]{1,8})[ \t]*(;.*)?$/.exec(line);
      if (!m) this.onError.bad(`malformed chunk size ${JSON.stringify(line.slice(0, 40))}`);
      const size = parseInt(m![1]!, 16);
      if (size === 0) {
        const section = await this.reader.section(MAX_LINE, () => this.onError.tooBig(), () => this.onError.incomplete(), true);
        const lines = section === null ? [] : latin1(section).split(/\r?\n/);
        this.trailers = parseFields(lines, (d) => this.onError.bad(d));
        this.#done = true;
        return null;
      }
      this.#chunkLeft = size;
    }
    const data = await this.reader.some(Math.min(this.#chunkLeft, this.chunkMax));
    if (data === null) this.onError.incomplete();
    this.#chunkLeft -= data!.length;
    if (this.#chunkLeft === 0) {
      const end = await this.reader.line(2, () => this.onError.incomplete());
      if (end !== "") this.onError.bad("a chunk is longer than its size says");
    }
    return data;
  }
}

/** Protocol errors while reading a response, as error-codes. */
export const responseErrors = {
  incomplete: (): never => httpError({ tag: "HTTP-response-incomplete" }, "the connection closed before the response was complete"),
  bad: (detail: string): never => httpError({ tag: "HTTP-protocol-error" }, `malformed response: ${detail}`),
  tooBig: (): never => httpError({ tag: "HTTP-response-header-section-size", val: MAX_HEAD }, `the response head is over ${MAX_HEAD} bytes`),
};

/** Protocol errors while reading a request (the in-page server's side). */
export const requestErrors = {
  incomplete: (): never => httpError({ tag: "HTTP-protocol-error" }, "the connection closed before the request was complete"),
  bad: (detail: string): never => httpError({ tag: "HTTP-protocol-error" }, `malformed request: ${detail}`),
  tooBig: (): never => httpError({ tag: "HTTP-request-header-section-size", val: MAX_HEAD }, `the request head is over ${MAX_HEAD} bytes`),
};

export type ProtocolErrors = typeof responseErrors;

const REASONS: Record<number, string> = {
  100: "Continue",
  101: "Switching Protocols",
  200: "OK",
  201: "Created",
  202: "Accepted",
  204: "No Content",
  206: "Partial Content",
  301: "Moved Permanently",
  302: "Found",
  303: "See Other",
  304: "Not Modified",
  307: "Temporary Redirect",
  308: "Permanent Redirect",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  411: "Length Required",
  413: "Content Too Large",
  414: "URI Too Long",
  418: "I'm a teapot",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};
