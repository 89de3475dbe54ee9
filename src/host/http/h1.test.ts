import { describe, expect, it } from "vitest";
import { HttpError } from "./errors";
import { fromLatin1, latin1 } from "./fields";
import { BodyReader, bodyless, chunk, framing, lastChunk, parseHead, Reader, requestHead, responseErrors, responseHead } from "./h1";

/** A source handing out `parts` one read at a time (split anywhere, as a network would). */
function source(...parts: string[]) {
  const queue = parts.map((p) => fromLatin1(p));
  return { read: async () => queue.shift() ?? null };
}

async function body(raw: string[], frame: Parameters<typeof framing>[0] | "none" = []) {
  const reader = new Reader(source(...raw));
  const f = frame === "none" ? ({ kind: "none" } as const) : framing(frame, true, responseErrors.bad);
  const br = new BodyReader(reader, f, responseErrors);
  let text = "";
  for (let d = await br.next(); d !== null; d = await br.next()) text += latin1(d);
  return { text, trailers: br.trailers?.map(([k, v]) => `${k}=${latin1(v)}`) ?? null, done: br.done };
}

const fields = (...kv: Array<[string, string]>) => kv.map(([k, v]) => [k, fromLatin1(v)] as [string, Uint8Array]);
const codeOf = async (p: Promise<unknown>) => p.then(() => "no error", (e: unknown) => (e instanceof HttpError ? e.payload.tag : String(e)));

describe("HTTP/1.1 heads", () => {
  it("writes request and response heads", () => {
    expect(latin1(requestHead("GET", "/x?y", fields(["host", "a:1"])))).toBe("GET /x?y HTTP/1.1\r\nhost: a:1\r\n\r\n");
    expect(latin1(responseHead(404, []))).toBe("HTTP/1.1 404 Not Found\r\n\r\n");
  });

  it("reads a head split across reads, keeps what follows for the body", async () => {
    const r = new Reader(source("HTTP/1.1 200 OK\r\nA: ", "1\r\nb:2 \r\n", "\r\nbody"));
    const head = parseHead((await r.section(1000, responseErrors.tooBig, responseErrors.incomplete))!, responseErrors.bad);
    expect(head.start).toEqual(["HTTP/1.1", "200", "OK"]);
    expect(head.fields.map(([k, v]) => `${k}=${latin1(v)}`)).toEqual(["a=1", "b=2"]);
    expect(latin1((await r.some(100))!)).toBe("body");
  });

  it("refuses folded lines, bad names, and heads over the limit", async () => {
    expect(await codeOf(Promise.resolve().then(() => parseHead(fromLatin1("HTTP/1.1 200 OK\r\na: 1\r\n  folded\r\n\r\n"), responseErrors.bad)))).toBe("HTTP-protocol-error");
    expect(await codeOf(Promise.resolve().then(() => parseHead(fromLatin1("HTTP/1.1 200 OK\r\nbad name: 1\r\n\r\n"), responseErrors.bad)))).toBe("HTTP-protocol-error");
    const r = new Reader(source("HTTP/1.1 200 OK\r\n" + "x: y\r\n".repeat(100)));
    expect(await codeOf(r.section(64, responseErrors.tooBig, responseErrors.incomplete))).toBe("HTTP-response-header-section-size");
  });
});

describe("HTTP/1.1 bodies", () => {
  it("content-length: exactly that many bytes; fewer is incomplete", async () => {
    expect(await body(["hel", "lo", "EXTRA"], fields(["content-length", "5"]))).toMatchObject({ text: "hello", done: true });
    expect(await codeOf(body(["hel"], fields(["content-length", "5"])))).toBe("HTTP-response-incomplete");
  });

  it("chunked, with extensions and trailers, however the bytes are split", async () => {
    const wire = latin1(chunk(fromLatin1("one"))) + "3;ext=1\r\ntwo\r\n" + latin1(lastChunk(fields(["x-sum", "9"])));
    const split = wire.split("").map((c) => c);
    expect(await body(split, fields(["transfer-encoding", "gzip, chunked"]))).toEqual({ text: "onetwo", trailers: ["x-sum=9"], done: true });
    expect(await body(["0\r\n\r\n"], fields(["transfer-encoding", "chunked"]))).toEqual({ text: "", trailers: [], done: true });
    expect(await codeOf(body(["zz\r\n"], fields(["transfer-encoding", "chunked"])))).toBe("HTTP-protocol-error");
    expect(await codeOf(body(["5\r\nabcdefg\r\n"], fields(["transfer-encoding", "chunked"])))).toBe("HTTP-protocol-error");
    expect(await codeOf(body(["5\r\nab"], fields(["transfer-encoding", "chunked"])))).toBe("HTTP-response-incomplete");
  });

  it("framing: chunked beats content-length; conflicting lengths are an error; no framing reads to the end", async () => {
    expect(framing(fields(["content-length", "3"], ["transfer-encoding", "chunked"]), true, responseErrors.bad)).toEqual({ kind: "chunked" });
    expect(await codeOf(Promise.resolve().then(() => framing(fields(["content-length", "3"], ["content-length", "4"]), true, responseErrors.bad)))).toBe("HTTP-protocol-error");
    expect(await body(["until", " close"])).toMatchObject({ text: "until close", done: true });
    expect(framing([], false, responseErrors.bad)).toEqual({ kind: "none" });
    expect(bodyless("HEAD", 200) && bodyless("GET", 204) && bodyless("GET", 304) && !bodyless("GET", 200)).toBe(true);
  });
});
