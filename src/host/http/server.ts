/**
 * A served handler on the playground's virtual network: HTTP/1.1 on a TCP port of the run (bound
 * like any socket, so the playground's one loopback has it), so other components reach it with
 * wasi:http (`http://localhost:PORT/`, or any `NAME.localhost:PORT`) or plain TCP. Keep-alive,
 * content-length and chunked bodies both ways, trailers when the body is chunked.
 */
import { TcpCore } from "../sockets/tcp";
import type { HttpCtx } from "./ctx";
import { describeError, HttpError } from "./errors";
import { fromLatin1, latin1, type FieldEntry } from "./fields";
import { BodyReader, bodyless, chunk, framing, lastChunk, MAX_HEAD, parseHead, Reader, requestErrors, responseHead } from "./h1";
import { errorAnswer, serveOne, type HandlerCall, type Outgoing } from "./serve";
import type { PipeEnd } from "../sockets/vnet/pipe";

export interface HttpListener {
  /** The port it listens on (the one asked for, or the ephemeral one it got). */
  readonly port: number;
  close(): void;
}

/** Listens on `port` (0: any free one) of every address of the playground; throws address-in-use. */
export function listenHttp(ctx: HttpCtx, port: number, handler: HandlerCall): HttpListener {
  const listener = new TcpCore(ctx.sockets, "ipv4");
  listener.bind({ family: "ipv4", ip: "0.0.0.0", port });
  listener.listen();
  const bound = listener.localAddress().port;
  void (async () => {
    for (;;) {
      const conn = listener.takeAccepted();
      if (conn) {
        const st = conn.state;
        if (st.s === "connected") void serveConnection(ctx, st.pipe, handler, `localhost:${bound}`).finally(() => conn.close());
        continue;
      }
      if (listener.state.s !== "listening") return;
      await listener.whenAcceptable();
    }
  })();
  return { port: bound, close: () => listener.close() };
}

/** Requests on one connection, one after another, until either side closes it. */
async function serveConnection(ctx: HttpCtx, pipe: PipeEnd, handler: HandlerCall, authority: string): Promise<void> {
  const reader = new Reader({ read: () => pipe.read() });
  try {
    for (;;) {
      const bytes = await reader.section(MAX_HEAD, requestErrors.tooBig, requestErrors.incomplete);
      if (bytes === null) return;
      const head = parseHead(bytes, requestErrors.bad);
      const [method, target, version] = head.start;
      if (!/^HTTP\/1\.[01]$/.test(version)) requestErrors.bad(`version '${version}'`);
      const br = new BodyReader(reader, framing(head.fields, false, requestErrors.bad), requestErrors);
      const body = br.done
        ? null
        : new ReadableStream<Uint8Array>(
            {
              async pull(c) {
                const data = await br.next();
                if (data === null) c.close();
                else c.enqueue(data);
              },
            },
            { highWaterMark: 0 },
          );
      const host = head.fields.find(([k]) => k === "host");
      const answer = await serveOne(ctx, handler, {
        method,
        path: target,
        scheme: "http",
        authority: host ? latin1(host[1]) : authority,
        headers: head.fields.map(([k, v]) => [k, latin1(v)]),
        body,
      });
      try {
        await writeAnswer(pipe, method, answer);
      } catch (err) {
        // A body that failed mid-way (the handler trapped) can only break the connection: the
        // client sees an incomplete response.
        pipe.abort("connection-reset", `the response failed: ${describeError(err)}`);
        return;
      }
      // The request body must have been read to its end before the next request can be parsed.
      while (!br.done) if ((await br.next()) === null) break;
      const close = head.fields.some(([k, v]) => k === "connection" && /\bclose\b/i.test(latin1(v))) || version === "HTTP/1.0";
      if (close) return;
    }
  } catch (err) {
    if (err instanceof HttpError && !pipe.done) await writeAnswer(pipe, "GET", errorAnswer(400, describeError(err))).catch(() => {});
    else pipe.abort("connection-reset", describeError(err));
  }
}

async function writeAnswer(pipe: PipeEnd, method: string, answer: Outgoing): Promise<void> {
  const length = answer.headers.find(([k]) => k === "content-length");
  const noBody = bodyless(method, answer.status);
  const chunked = !length && !noBody;
  const fields: FieldEntry[] = answer.headers.filter(([k]) => k !== "transfer-encoding" && k !== "connection").map(([k, v]) => [k, fromLatin1(v)]);
  if (chunked) fields.push(["transfer-encoding", fromLatin1("chunked")]);
  await pipe.write(responseHead(answer.status, fields));
  if (noBody) {
    void answer.body?.cancel();
    return;
  }
  const reader = answer.body?.getReader();
  if (reader) {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      await pipe.write(chunked ? chunk(value) : value);
    }
  }
  if (chunked) await pipe.write(lastChunk(await answer.trailers));
}
