// http-hello: a JSON API as one async handler (wasi:http 0.3), with a streamed response.
import { Fields, Request, Response } from "wasi:http/types@0.3.0";
import { waitFor } from "wasi:clocks/monotonic-clock@0.3.0";

// QuickJS has no TextEncoder: UTF-8 by hand.
function utf8(text) {
  const out = [];
  for (const ch of text) {
    const c = ch.codePointAt(0);
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return new Uint8Array(out);
}

// u64 durations are JS numbers in componentize-qjs (nanoseconds).
const ms = (n) => Math.round(n) * 1_000_000;
let served = 0;

/** A response: status, headers, and a body that is any iterable of byte chunks (a stream<u8>). */
function respond(status, headers, chunks) {
  const fields = Fields.fromList(headers.map(([k, v]) => [k, utf8(v)]));
  const trailers = wit.Future.from(Promise.resolve({ tag: "ok", val: undefined }), wit.Future.RESULT_OPTION_OTHER_ERROR_CODE).readable;
  const [response] = Response.new(fields, chunks, trailers);
  response.setStatusCode(status);
  return response;
}

function json(status, value) {
  const body = utf8(JSON.stringify(value, null, 2) + "\n");
  return respond(status, [["content-type", "application/json"], ["content-length", String(body.length)]], [body]);
}

/**
 * The request body streamed straight back: the request's `stream<u8>` becomes the response's, and
 * its trailers future the response's trailers future, so bytes flow through as they arrive.
 */
function echo(request) {
  const type = request.getHeaders().get("content-type")[0];
  const res = wit.Future.from(Promise.resolve({ tag: "ok", val: undefined }), wit.Future.RESULT_VOID_ERROR_CODE).readable;
  const [body, trailers] = Request.consumeBody(request, res);
  const [response] = Response.new(Fields.fromList(type ? [["content-type", type]] : []), body, trailers);
  return response;
}

/** `count` lines, one every `every` ms: the client sees each as it is written. */
async function* ticks(count, every) {
  for (let i = 1; i <= count; i++) {
    yield utf8(`tick ${i} of ${count}\n`);
    if (i < count) await waitFor(ms(every));
  }
}

/** The first part of a body that then fails. */
async function* firstPart() {
  yield utf8("the first part arrives, then the body fails\n");
  await waitFor(ms(50));
}

export const handler = {
  async handle(request) {
    served++;
    const method = request.getMethod().tag;
    const target = request.getPathWithQuery() ?? "/";
    const [path, query = ""] = target.split("?");
    const params = Object.fromEntries(query.split("&").filter(Boolean).map((kv) => kv.split("=")));
    switch (`${method} ${path}`) {
      case "get /":
        return json(200, { hello: "world", method: "GET", path: target, served, routes: ["GET /", "GET /stream?n=5&ms=200", "GET /wait?ms=100", "POST /echo", "GET /hang", "GET /fail"] });
      case "get /stream":
        return respond(200, [["content-type", "text/plain; charset=utf-8"]], ticks(Number(params.n ?? 5), Number(params.ms ?? 200)));
      case "get /wait": {
        const wait = Number(params.ms ?? 100);
        await waitFor(ms(wait));
        return json(200, { waited: wait });
      }
      case "post /echo":
        return echo(request);
      case "get /hang":
        // Does not answer for an hour: the page's preview gives up with a 504 and says why.
        await waitFor(ms(3_600_000));
        return json(500, {});
      case "get /fail": {
        // A body fails by ending its trailers future with an error: the client's response breaks.
        const failed = { tag: "err", val: { tag: "internal-error", val: "the handler's body failed mid-way (on purpose)" } };
        const trailers = wit.Future.from(waitFor(ms(100)).then(() => failed), wit.Future.RESULT_OPTION_OTHER_ERROR_CODE).readable;
        const [response] = Response.new(Fields.fromList([["content-type", utf8("text/plain")]]), firstPart(), trailers);
        return response;
      }
      default:
        return json(404, { error: `no route for ${method.toUpperCase()} ${path}` });
    }
  },
};
