/**
 * Outgoing requests (`wasi:http/client#send`): HTTP/1.1 on a connection from the run's connector,
 * reused while the run lasts (keep-alive), the body written as its framing says (content-length
 * when the guest set one, else chunked with trailers), the response read as it arrives with the
 * request's connect, first-byte and between-bytes timeouts. Or, in a run set to `fetch`, through
 * the browser's fetch: only for hosts that allow CORS, and a failure says so.
 */
import type { Conn } from "./conn";
import type { HttpCtx } from "./ctx";
import { DEFAULT_TIMEOUTS } from "./ctx";
import { asHttpError, describeError, errorCode, HttpError, httpError, type ErrorCode } from "./errors";
import { FieldList, FORBIDDEN, fromLatin1, latin1, type FieldEntry } from "./fields";
import { BodyReader, bodyless, chunk, framing, lastChunk, MAX_HEAD, parseHead, Reader, requestHead, responseErrors } from "./h1";
import { bodyOf, NO_TRAILERS, type Body, type RequestHead, type ResponseHead, type Timeouts, type Transmission, type TrailersResult } from "./message";
import { methodName, schemeName, splitAuthority } from "./uri";

export interface Exchange {
  head: RequestHead;
  body: Body;
  transmission: Transmission;
}

export interface Received {
  head: ResponseHead;
  body: Body;
}

const ms = (ns: bigint | undefined, fallback: number) => (ns === undefined ? fallback : Number(ns / 1_000_000n));

/** Rejects with `code` if `p` has not settled within `timeout` ms. */
function within<T>(ctx: HttpCtx, p: Promise<T>, timeout: number, code: ErrorCode, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cancel = ctx.timers.after(timeout, () => reject(new HttpError(code, `${what} took longer than ${timeout} ms`)));
    p.then(
      (v) => (cancel(), resolve(v)),
      (e: unknown) => (cancel(), reject(e)),
    );
  });
}

interface Target {
  tls: boolean;
  host: string;
  port: number;
  /** Host field value: the authority without user info. */
  hostField: string;
  key: string;
  path: string;
}

function target(head: RequestHead): Target {
  const scheme = head.scheme ? schemeName(head.scheme) : "http";
  if (scheme !== "http" && scheme !== "https") httpError({ tag: "HTTP-request-URI-invalid" }, `scheme '${scheme}' is not http or https`);
  if (head.authority === undefined) httpError({ tag: "HTTP-request-URI-invalid" }, "the request has no authority (set-authority) to send it to");
  const parts = splitAuthority(head.authority!);
  if (!parts) httpError({ tag: "HTTP-request-URI-invalid" }, `'${head.authority}' is not a valid authority`);
  const tls = scheme === "https";
  const port = parts!.port ?? (tls ? 443 : 80);
  const hostField = head.authority!.slice(head.authority!.lastIndexOf("@") + 1);
  const p = head.pathWithQuery ?? "/";
  const path = p === "" ? "/" : p.startsWith("/") || p === "*" ? p : `/${p}`;
  return { tls, host: parts!.host, port, hostField, key: `${scheme}://${parts!.host}:${port}`, path };
}

/** Sends a request and resolves with the response head (its body streams after). */
export function send(ctx: HttpCtx, ex: Exchange): Promise<Received> {
  let t: Target;
  try {
    t = target(ex.head);
  } catch (err) {
    // Never sent: the request's future says so, and the guest's body stream is let go.
    ex.transmission.fail(errorCode(err));
    void ex.body.contents?.cancel();
    return Promise.reject(err);
  }
  return ctx.via === "fetch" ? sendWithFetch(ctx, ex, t) : sendHttp1(ctx, ex, t);
}

async function sendHttp1(ctx: HttpCtx, ex: Exchange, t: Target): Promise<Received> {
  const { head, body, transmission } = ex;
  const method = methodName(head.method);
  const declared = head.headers.text("content-length");
  const fields: FieldEntry[] = [["host", fromLatin1(t.hostField)], ...head.headers.entries.filter(([k]) => !FORBIDDEN.has(k))];
  let frame: { kind: "length"; length: number } | { kind: "chunked" } | { kind: "none" };
  if (declared !== undefined) {
    if (!/^\d{1,15}$/.test(declared)) return failBefore(ex, { tag: "HTTP-request-body-size", val: undefined }, `content-length '${declared}' is not a length`);
    frame = { kind: "length", length: Number(declared) };
  } else if (body.contents === null) {
    frame = { kind: "none" };
    if (method === "POST" || method === "PUT" || method === "PATCH") fields.push(["content-length", fromLatin1("0")]);
  } else {
    frame = { kind: "chunked" };
    fields.push(["transfer-encoding", fromLatin1("chunked")]);
  }

  let conn: Conn;
  const reused = ctx.takeIdle(t.key);
  try {
    conn = reused ?? (await within(ctx, ctx.connector.connect(t.host, t.port, t.tls), ms(head.timeouts.connect, DEFAULT_TIMEOUTS.connect), { tag: "connection-timeout" }, `connecting to ${t.host}:${t.port}`));
  } catch (err) {
    transmission.fail(errorCode(err));
    void body.contents?.cancel();
    throw asHttpError(err);
  }

  const sent = writeRequest(conn, requestHead(method, t.path, fields), body, frame);
  void sent.then((r) => {
    transmission.settle(r);
    if (r.tag === "err") conn.abort();
  });
  const reader = new Reader(conn);
  let res: { status: number; fields: FieldEntry[] };
  try {
    res = await Promise.race([
      readResponseHead(ctx, reader, head.timeouts),
      sent.then((r) => (r.tag === "err" ? Promise.reject(new HttpError(r.val, "the request body could not be sent")) : new Promise<never>(() => {}))),
    ]);
  } catch (err) {
    conn.abort();
    throw asHttpError(err);
  }
  const frameIn = bodyless(method, res.status) ? ({ kind: "none" } as const) : framing(res.fields, true, responseErrors.bad);
  const reusable = frameIn.kind !== "close" && !/\bclose\b/i.test(latin1(res.fields.find(([k]) => k === "connection")?.[1] ?? new Uint8Array()));
  const br = new BodyReader(reader, frameIn, responseErrors);
  const headers = new FieldList(
    res.fields.filter(([k]) => !FORBIDDEN.has(k)),
    false,
  );
  return { head: { status: res.status, headers }, body: responseBody(ctx, conn, br, head.timeouts, sent, reusable ? t.key : null) };
}

function failBefore(ex: Exchange, code: ErrorCode, detail: string): never {
  ex.transmission.fail(code);
  void ex.body.contents?.cancel();
  throw new HttpError(code, detail);
}

/** Writes the head and the body; resolves with how transmission went (the request's future). */
async function writeRequest(conn: Conn, headBytes: Uint8Array, body: Body, frame: { kind: "length"; length: number } | { kind: "chunked" } | { kind: "none" }): Promise<{ tag: "ok"; val: undefined } | { tag: "err"; val: ErrorCode }> {
  try {
    await conn.write(headBytes);
    let written = 0;
    if (body.contents) {
      const reader = body.contents.getReader();
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          written += value.length;
          if (frame.kind === "length" && written > frame.length) httpError({ tag: "HTTP-request-body-size", val: BigInt(written) }, `the body is longer than its content-length (${frame.length})`);
          await conn.write(frame.kind === "chunked" ? chunk(value) : value);
        }
      } catch (err) {
        void reader.cancel().catch(() => {});
        throw err;
      }
    }
    if (frame.kind === "length" && written !== frame.length) httpError({ tag: "HTTP-request-body-size", val: BigInt(written) }, `the body is ${written} bytes, its content-length says ${frame.length}`);
    const trailers: TrailersResult = await body.trailers;
    if (trailers.tag === "err") return trailers;
    if (frame.kind === "chunked") await conn.write(lastChunk(trailers.val?.entries ?? []));
    return { tag: "ok", val: undefined };
  } catch (err) {
    return { tag: "err", val: bodyErrorCode(err) };
  }
}

/** A failure while sending: our error-codes as they are, anything from a guest stream as internal. */
function bodyErrorCode(err: unknown): ErrorCode {
  try {
    return errorCode(err);
  } catch {
    return { tag: "internal-error", val: describeError(err) };
  }
}

async function readResponseHead(ctx: HttpCtx, reader: Reader, timeouts: Timeouts): Promise<{ status: number; fields: FieldEntry[] }> {
  const wait = ms(timeouts.firstByte, DEFAULT_TIMEOUTS.firstByte);
  for (;;) {
    const bytes = await within(
      ctx,
      reader.section(MAX_HEAD, responseErrors.tooBig, responseErrors.incomplete),
      wait,
      { tag: "connection-read-timeout" },
      "waiting for the response",
    );
    if (bytes === null) httpError({ tag: "HTTP-response-incomplete" }, "the server closed the connection without responding");
    const h = parseHead(bytes!, responseErrors.bad);
    const [version, statusText] = h.start;
    if (!/^HTTP\/1\.[01]$/.test(version) || !/^\d{3}$/.test(statusText)) responseErrors.bad(`status line '${version} ${statusText}'`);
    const status = Number(statusText);
    // Interim responses (100 Continue, 103 Early Hints) come before the final one.
    if (status >= 100 && status < 200 && status !== 101) continue;
    if (status === 101) httpError({ tag: "HTTP-upgrade-failed" }, "the server switched protocols, which wasi:http cannot follow");
    return { status, fields: h.fields };
  }
}

/**
 * The response body as the guest pulls it: each pull reads the next piece from the connection
 * (between-bytes timeout), and the trailers settle at its end, when the connection goes back to
 * the pool if it can carry another request.
 */
function responseBody(ctx: HttpCtx, conn: Conn, br: BodyReader, timeouts: Timeouts, sent: Promise<{ tag: string }>, poolKey: string | null): Body {
  let settle!: (t: TrailersResult) => void;
  const trailers = new Promise<TrailersResult>((r) => (settle = r));
  const wait = ms(timeouts.betweenBytes, DEFAULT_TIMEOUTS.betweenBytes);
  const finish = async () => {
    const ok = (await sent).tag === "ok";
    if (poolKey && ok && br.done) ctx.putIdle(poolKey, conn);
    else conn.close();
  };
  const contents = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const data = await within(ctx, br.next(), wait, { tag: "connection-read-timeout" }, "waiting for more of the response body");
          if (data !== null) return controller.enqueue(data);
          controller.close();
          settle(br.trailers && br.trailers.length > 0 ? { tag: "ok", val: new FieldList(br.trailers, false) } : NO_TRAILERS);
          void finish();
        } catch (err) {
          conn.abort();
          const code = errorCode(err);
          settle({ tag: "err", val: code });
          controller.error(new HttpError(code, describeError(err)));
        }
      },
      cancel() {
        conn.abort();
        settle(NO_TRAILERS);
      },
    },
    { highWaterMark: 0 },
  );
  return { contents, trailers };
}

/**
 * The run's `fetch` mode: the browser sends the request (its CORS rules apply, and it decides
 * connection reuse and framing). The body is gathered first: browsers stream request bodies
 * only over HTTP/2. A failed fetch cannot tell a CORS refusal from a dead host; the message says both.
 */
async function sendWithFetch(ctx: HttpCtx, ex: Exchange, t: Target): Promise<Received> {
  const { head, body, transmission } = ex;
  const f = ctx.fetch ?? httpError({ tag: "configuration-error" }, "this run is set to send requests with fetch, and this context has none");
  const url = `${t.tls ? "https" : "http"}://${t.hostField}${t.path}`;
  const bytes = body.contents ? new Uint8Array(await new Response(body.contents).arrayBuffer()) : null;
  const trailers = await body.trailers;
  if (trailers.tag === "err") {
    transmission.settle(trailers);
    throw new HttpError(trailers.val, "the request's trailers failed");
  }
  const headers = new Headers();
  for (const [k, v] of head.headers.entries) headers.append(k, latin1(v));
  let res: Response;
  const controller = new AbortController();
  try {
    res = await within(ctx, f(url, { method: methodName(head.method), headers, body: bytes, signal: controller.signal }), ms(head.timeouts.firstByte, DEFAULT_TIMEOUTS.firstByte), { tag: "connection-read-timeout" }, `fetch ${url}`);
  } catch (err) {
    controller.abort();
    const code: ErrorCode = err instanceof HttpError ? err.payload : { tag: "internal-error", val: `fetch ${url} failed: ${describeError(err)} (the host may not allow CORS from this page, or it is unreachable)` };
    transmission.fail(code);
    throw new HttpError(code, `fetch ${url} failed (CORS or network): ${describeError(err)}`);
  }
  transmission.settle({ tag: "ok", val: undefined });
  const fields: FieldEntry[] = [];
  res.headers.forEach((v, k) => fields.push([k, fromLatin1(v)]));
  return {
    head: { status: res.status, headers: new FieldList(fields.filter(([k]) => !FORBIDDEN.has(k)), false) },
    body: res.body ? bodyOf(res.body) : { contents: null, trailers: Promise.resolve(NO_TRAILERS) },
  };
}
