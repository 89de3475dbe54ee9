/**
 * wasi:http@0.3.0 (types: fields, request, request-options, response; client; handler) over one
 * run's HttpCtx. Bodies are `stream<u8>` with trailers as a future; the resources keep the host's
 * messages (`message.ts`), so a request the guest builds, one the host hands its handler, and a
 * response from either side travel the same way. The imported `handler` (the middleware world's
 * next hop) is the outgoing client, as a host without a next component has it.
 */
import type * as Types from "../generated/host-p3/interfaces/wasi-http-types.js";
import { liftedBytesToReadable, type LiftedByteStream } from "../streams";
import type { P3, PackageP3 } from "../types";
import { send } from "./outgoing";
import type { HttpCtx } from "./ctx";
import { asHttpError, InvalidValue, OptionsError } from "./errors";
import { FieldList } from "./fields";
import { NO_TRAILERS, Transmission, type Body, type RequestHead, type ResponseHead, type Timeouts, type TrailersResult } from "./message";
import { isAuthority, isPathWithQuery, normalizeMethod, normalizeScheme, type Method, type Scheme } from "./uri";

type Result<T> = { tag: "ok"; val: T } | { tag: "err"; val: Types.ErrorCode };
type GuestTrailers = PromiseLike<Result<P3<Types.Fields> | undefined>>;

const emptyStream = () => new ReadableStream<Uint8Array>({ start: (c) => c.close() });

export function httpP3(ctx: HttpCtx) {
  class Fields implements P3<Types.Fields> {
    constructor(readonly list: FieldList = new FieldList()) {}

    static fromList(entries: Array<[string, Uint8Array]>): Fields {
      return new Fields(FieldList.from(entries));
    }
    get(name: string): Uint8Array[] {
      return this.list.get(name);
    }
    has(name: string): boolean {
      return this.list.has(name);
    }
    set(name: string, value: Uint8Array[]): void {
      this.list.set(name, value);
    }
    delete(name: string): void {
      this.list.delete(name);
    }
    getAndDelete(name: string): Uint8Array[] {
      return this.list.delete(name);
    }
    append(name: string, value: Uint8Array): void {
      this.list.append(name, value);
    }
    copyAll(): Array<[string, Uint8Array]> {
      return this.list.entries.map(([k, v]) => [k, v.slice()]);
    }
    clone(): Fields {
      return new Fields(this.list.copy());
    }
  }

  /** A body the guest gives `new`: its stream read on demand, its trailers future mapped to fields. */
  function guestBody(contents: LiftedByteStream | undefined, trailers: GuestTrailers): Body {
    return {
      contents: contents ? liftedBytesToReadable(contents) : null,
      // A guest that drops the future without writing it sent no trailers.
      trailers: Promise.resolve(trailers).then(
        (r): TrailersResult => (r.tag === "ok" ? { tag: "ok", val: r.val ? (r.val as Fields).list.copy(false) : undefined } : r),
        () => NO_TRAILERS,
      ),
    };
  }

  /** `consume-body`: the body as the guest reads it; `res` tells whoever sent it how that went. */
  function consumeParts(body: Body | null, transmission: Transmission, res: PromiseLike<Result<void>>): [ReadableStream<Uint8Array>, Promise<Result<Fields | undefined>>] {
    void Promise.resolve(res).then(
      (r) => transmission.settle(r.tag === "ok" ? { tag: "ok", val: undefined } : r),
      () => transmission.settle({ tag: "ok", val: undefined }),
    );
    const b = body ?? { contents: null, trailers: Promise.resolve(NO_TRAILERS) };
    let failed!: (r: TrailersResult) => void;
    const failure = new Promise<TrailersResult>((r) => (failed = r));
    const trailers = Promise.race([b.trailers, failure]).then((r): Result<Fields | undefined> => (r.tag === "ok" ? { tag: "ok", val: r.val ? new Fields(r.val) : undefined } : r));
    return [b.contents ? endOnFailure(b.contents, (code) => failed({ tag: "err", val: code })) : emptyStream(), trailers];
  }

  /**
   * A body's stream as a guest gets it: a `stream<u8>` cannot fail, so a failure ends it and the
   * trailers future reports the error (the stream erroring would fail the whole run instead).
   */
  function endOnFailure(contents: ReadableStream<Uint8Array>, failed: (code: Types.ErrorCode) => void): ReadableStream<Uint8Array> {
    const reader = contents.getReader();
    return new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          try {
            const { value, done } = await reader.read();
            if (done) controller.close();
            else controller.enqueue(value);
          } catch (err) {
            failed(asHttpError(err).payload);
            controller.close();
          }
        },
        cancel: (reason) => reader.cancel(reason),
      },
      { highWaterMark: 0 },
    );
  }

  /** What requests and responses share: a body taken once, by whoever sends or consumes it. */
  class Message {
    #body: Body | null;
    constructor(
      body: Body,
      readonly transmission: Transmission,
    ) {
      this.#body = body;
    }

    takeBody(): Body | null {
      const b = this.#body;
      this.#body = null;
      return b;
    }

    /** The guest dropped it without sending or consuming it: its body stream is let go. */
    [Symbol.dispose](): void {
      void this.takeBody()?.contents?.cancel();
    }

    /** `consume-body`: the body as the guest reads it; `res` says how its processing went. */
    consume(res: PromiseLike<Result<void>>): [ReadableStream<Uint8Array>, Promise<Result<Fields | undefined>>] {
      return consumeParts(this.takeBody(), this.transmission, res);
    }
  }

  class RequestOptions implements P3<Types.RequestOptions> {
    constructor(
      readonly timeouts: Timeouts = {},
      readonly mutable = true,
    ) {}
    #set(key: keyof Timeouts, d: bigint | undefined): void {
      if (!this.mutable) throw new OptionsError("these request-options belong to a request and cannot change");
      this.timeouts[key] = d;
    }
    getConnectTimeout(): bigint | undefined {
      return this.timeouts.connect;
    }
    setConnectTimeout(d: bigint | undefined): void {
      this.#set("connect", d);
    }
    getFirstByteTimeout(): bigint | undefined {
      return this.timeouts.firstByte;
    }
    setFirstByteTimeout(d: bigint | undefined): void {
      this.#set("firstByte", d);
    }
    getBetweenBytesTimeout(): bigint | undefined {
      return this.timeouts.betweenBytes;
    }
    setBetweenBytesTimeout(d: bigint | undefined): void {
      this.#set("betweenBytes", d);
    }
    clone(): RequestOptions {
      return new RequestOptions({ ...this.timeouts });
    }
  }

  class Request extends Message implements P3<Types.Request> {
    constructor(
      readonly head: RequestHead,
      body: Body,
      transmission: Transmission,
      readonly hasOptions: boolean,
    ) {
      super(body, transmission);
    }

    static new(headers: Fields, contents: LiftedByteStream | undefined, trailers: GuestTrailers, options: RequestOptions | undefined): [Request, Promise<Result<undefined>>] {
      const head: RequestHead = { method: { tag: "get" }, scheme: undefined, authority: undefined, pathWithQuery: undefined, headers: headers.list.copy(false), timeouts: { ...options?.timeouts } };
      const t = new Transmission();
      return [new Request(head, guestBody(contents, trailers), t, options !== undefined), t.done];
    }

    getMethod(): Method {
      return this.head.method;
    }
    setMethod(method: Method): void {
      const m = normalizeMethod(method);
      if (!m) throw new InvalidValue(`'${method.tag === "other" ? method.val : method.tag}' is not a valid method`);
      this.head.method = m;
    }
    getPathWithQuery(): string | undefined {
      return this.head.pathWithQuery;
    }
    setPathWithQuery(p: string | undefined): void {
      if (p !== undefined && !isPathWithQuery(p)) throw new InvalidValue(`'${p}' is not a valid path and query`);
      this.head.pathWithQuery = p === "" ? "/" : p;
    }
    getScheme(): Scheme | undefined {
      return this.head.scheme;
    }
    setScheme(scheme: Scheme | undefined): void {
      const s = scheme === undefined ? undefined : normalizeScheme(scheme);
      if (s === null) throw new InvalidValue("not a valid scheme");
      this.head.scheme = s;
    }
    getAuthority(): string | undefined {
      return this.head.authority;
    }
    setAuthority(authority: string | undefined): void {
      if (authority !== undefined && !isAuthority(authority)) throw new InvalidValue(`'${authority}' is not a valid authority`);
      this.head.authority = authority;
    }
    getOptions(): RequestOptions | undefined {
      return this.hasOptions ? new RequestOptions({ ...this.head.timeouts }, false) : undefined;
    }
    getHeaders(): Fields {
      return new Fields(this.head.headers);
    }
    static consumeBody(this_: Request, res: PromiseLike<Result<void>>): [ReadableStream<Uint8Array>, Promise<Result<Fields | undefined>>] {
      return this_.consume(res);
    }
  }

  class Response extends Message implements P3<Types.Response> {
    constructor(
      readonly head: ResponseHead,
      body: Body,
      transmission: Transmission,
    ) {
      super(body, transmission);
    }

    static new(headers: Fields, contents: LiftedByteStream | undefined, trailers: GuestTrailers): [Response, Promise<Result<undefined>>] {
      const t = new Transmission();
      return [new Response({ status: 200, headers: headers.list.copy(false) }, guestBody(contents, trailers), t), t.done];
    }

    getStatusCode(): number {
      return this.head.status;
    }
    setStatusCode(status: number): void {
      if (status < 100 || status > 599) throw new InvalidValue(`${status} is not an HTTP status code (100-599)`);
      this.head.status = status;
    }
    getHeaders(): Fields {
      return new Fields(this.head.headers);
    }
    static consumeBody(this_: Response, res: PromiseLike<Result<void>>): [ReadableStream<Uint8Array>, Promise<Result<Fields | undefined>>] {
      return this_.consume(res);
    }
  }

  /** `client.send` (and the imported `handler.handle`): the request goes out, the response comes back. */
  async function sendRequest(request: Request): Promise<Response> {
    const body = request.takeBody() ?? { contents: null, trailers: Promise.resolve(NO_TRAILERS) };
    try {
      const got = await send(ctx, { head: request.head, body, transmission: request.transmission });
      return new Response(got.head, got.body, new Transmission());
    } catch (err) {
      throw asHttpError(err);
    }
  }

  ctx.bridge = {
    incoming: (head, body) => new Request(head, body, new Transmission(), false),
    outgoing: (r) => (r instanceof Response ? { head: r.head, body: r.takeBody() ?? { contents: null, trailers: Promise.resolve(NO_TRAILERS) }, transmission: r.transmission } : null),
  };

  return {
    "wasi:http/types@0.3.0": { Fields, Request, RequestOptions, Response },
    "wasi:http/client@0.3.0": { send: sendRequest },
    "wasi:http/handler@0.3.0": { handle: sendRequest },
  } satisfies PackageP3<"wasi:http">;
}
