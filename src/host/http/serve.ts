/**
 * Serving: a component that exports `wasi:http/handler` answers requests that reach its run, from
 * the page's Service Worker (`/preview/<run>/...`) or from other components over the virtual
 * network (`server.ts`). One exchange: the request becomes the run's own `request` resource, the
 * handler is called (concurrent calls share the instance), and its `response` streams back; its
 * trailers and transmission future settle when the body has been taken.
 */
import type { HttpCtx } from "./ctx";
import { describeError, errorCode, type ErrorCode } from "./errors";
import { checkField, FieldList, fromLatin1, latin1, type FieldEntry } from "./fields";
import { bodyOf, NO_TRAILERS, type Body } from "./message";
import { methodFromName } from "./uri";
import { HANDLER_TIMEOUT_MS, type PreviewRequest } from "../../protocol/preview";

/** A request as it arrives (from the Service Worker as from the virtual network). */
export type Incoming = Omit<PreviewRequest, "t" | "id">;

/** The answer: a head, and a body stream that errors if the handler's body failed. */
export interface Outgoing {
  status: number;
  headers: Array<[string, string]>;
  body: ReadableStream<Uint8Array> | null;
  /** Trailers the handler sent (HTTP/1.1 chunked can carry them; the Service Worker cannot). */
  trailers: Promise<FieldEntry[]>;
}

/** Calls the guest's handler with a request resource; resolves with its `result`. */
export type HandlerCall = (request: object) => Promise<{ kind: "value"; value: unknown } | { kind: "err"; payload: unknown }>;


/** A plain-text error answer (the handler failed or did not answer). */
export function errorAnswer(status: number, message: string): Outgoing {
  const bytes = new TextEncoder().encode(`${message}\n`);
  return {
    status,
    headers: [
      ["content-type", "text/plain; charset=utf-8"],
      ["content-length", String(bytes.length)],
    ],
    body: new ReadableStream({
      start(c) {
        c.enqueue(bytes);
        c.close();
      },
    }),
    trailers: Promise.resolve([]),
  };
}

const describeCode = (code: ErrorCode): string => (code.tag === "internal-error" && code.val ? `internal-error: ${code.val}` : code.tag);

/** Fields of an incoming request a handler may see: connection-level ones and malformed ones are dropped. */
function incomingFields(headers: Array<[string, string]>): FieldList {
  const entries: FieldEntry[] = [];
  for (const [name, value] of headers) {
    const bytes = fromLatin1(value);
    if (checkField(name, [bytes]) === null) entries.push([name.toLowerCase(), bytes]);
  }
  return new FieldList(entries, false);
}

/**
 * One request to the handler. Never rejects: a handler that traps, returns an error, or does not
 * answer in `timeoutMs` gives a 500 or 504 with a message saying which.
 */
export async function serveOne(ctx: HttpCtx, handler: HandlerCall, req: Incoming, timeoutMs = HANDLER_TIMEOUT_MS): Promise<Outgoing> {
  const body: Body = req.body ? bodyOf(req.body) : { contents: null, trailers: Promise.resolve(NO_TRAILERS) };
  const request = ctx.bridge.incoming(
    {
      method: methodFromName(req.method),
      scheme: { tag: req.scheme === "https" ? "HTTPS" : "HTTP" },
      authority: req.authority,
      pathWithQuery: req.path,
      headers: incomingFields(req.headers),
      timeouts: {},
    },
    body,
  );
  let cancelTimer = () => {};
  const timedOut = new Promise<"timeout">((resolve) => (cancelTimer = ctx.timers.after(timeoutMs, () => resolve("timeout"))));
  let result: Awaited<ReturnType<HandlerCall>> | "timeout";
  try {
    result = await Promise.race([handler(request), timedOut]);
  } catch (err) {
    return errorAnswer(500, `The handler of ${ctx.component} failed: ${describeError(err)}`);
  } finally {
    cancelTimer();
  }
  if (result === "timeout") return errorAnswer(504, `The handler of ${ctx.component} did not answer within ${timeoutMs / 1000} s.`);
  if (result.kind === "err") return errorAnswer(500, `The handler of ${ctx.component} returned an error: ${describeCode(result.payload as ErrorCode)}`);
  const res = ctx.bridge.outgoing(result.value);
  if (!res) return errorAnswer(500, `The handler of ${ctx.component} returned something that is not a response.`);
  return {
    status: res.head.status,
    headers: res.head.headers.entries.map(([k, v]) => [k, latin1(v)]),
    body: responseStream(res.body, (r) => res.transmission.settle(r)),
    trailers: Promise.resolve(res.body.trailers).then((t) => (t.tag === "ok" ? (t.val?.entries ?? []) : [])),
  };
}

/**
 * The handler's body as the client pulls it: when it ends, its trailers decide whether it ended
 * well; a failure (a trap mid-body, a trailers error) errors the stream, which the client sees
 * as a broken response. Either way the response's transmission future says how it went.
 */
function responseStream(body: Body, settle: (r: { tag: "ok"; val: undefined } | { tag: "err"; val: ErrorCode }) => void): ReadableStream<Uint8Array> {
  const reader = body.contents?.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = reader ? await reader.read() : { done: true as const, value: undefined };
          if (!next.done) return controller.enqueue(next.value);
          const t = await body.trailers;
          if (t.tag === "err") throw new Error(`the handler's body ended with ${describeCode(t.val)}`);
          controller.close();
          settle({ tag: "ok", val: undefined });
        } catch (err) {
          let code: ErrorCode;
          try {
            code = errorCode(err);
          } catch {
            code = { tag: "internal-error", val: describeError(err) };
          }
          settle({ tag: "err", val: code });
          controller.error(err);
        }
      },
      cancel(reason) {
        settle({ tag: "err", val: { tag: "connection-terminated" } });
        return reader?.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
