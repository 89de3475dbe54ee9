/**
 * `host-boundary` tracing for engine/jco. jco owns the scheduler, so we record what crosses the
 * host edge: each host import call (interface#function, resource methods included) as
 * host.begin/end, each export call as a task, and the host's side of stream<T>/future<T> traffic
 * with element counts. Everything is attributed to the one export task running (jco starts no
 * other task for a run), in lane `GUEST_INSTANCE`; the host's stream ends live in lane
 * `HOST_INSTANCE`.
 *
 * Nothing here runs when tracing is off: the engine passes the host's objects through untouched.
 */
import { splitVersion } from "../../base/semver";
import type { InterfaceImpl } from "../../host";
import { funcAsyncness } from "../../wit/signatures";
import type { TraceRecorder } from "../trace";

export const HOST_INSTANCE = 0;
export const GUEST_INSTANCE = 1;

/** A host reader idle for less than this is not shown as backpressure (clock jitter, not a wait). */
const IDLE_NS = 1_000_000;

// The WIT the host serves (0.3), for telling an `async func`'s completion Promise from a sync
// function's returned future<T>: both are Promises in jco's conventions.
const HOST_WIT = import.meta.glob("../../../wit/deps/*-0.3.0/package.wit", { query: "?raw", import: "default", eager: true }) as Record<string, string>;

/** `readViaStream` -> `read-via-stream`, `TerminalInput` -> `terminal-input`. */
export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c, i: number) => (i === 0 ? "" : "-") + c.toLowerCase());
}

type AnyFn = (...args: unknown[]) => unknown;

function isClass(v: unknown): v is new (...args: unknown[]) => object {
  return typeof v === "function" && /^class[\s{]/.test(Function.prototype.toString.call(v));
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (typeof v === "object" || typeof v === "function") && v !== null && typeof (v as { then?: unknown }).then === "function";
}

/** Elements moved by one read: bytes of a byte chunk, else one value. */
function countOf(value: unknown): number {
  if (value === undefined) return 0;
  if (ArrayBuffer.isView(value)) return (value as Uint8Array).length;
  if (Array.isArray(value)) return value.length;
  return 1;
}

/** A jco stream the guest writes and the host reads (`Stream` with `read({count})`). */
function isGuestStream(v: unknown): v is AsyncIterable<unknown> & { read: (o?: unknown) => Promise<IteratorResult<unknown>> } {
  return typeof v === "object" && v !== null && !(v instanceof ReadableStream) && Symbol.asyncIterator in v && typeof (v as { read?: unknown }).read === "function";
}

/**
 * One run's boundary tracer. `task` is the export task running now (0 before the first call, e.g.
 * host calls made while instantiating).
 */
export class BoundaryTrace {
  task = 0;
  #nextTask = 1;
  readonly #async: Map<string, boolean>;
  // Resource instances the guest holds, proxied so their method calls are traced; `#targets`
  // maps a proxy back to the host's object, which host code receives (its private fields need it).
  readonly #proxies = new WeakMap<object, object>();
  readonly #targets = new WeakMap<object, object>();
  readonly #classes = new Map<unknown, { iface: string; resource: string }>();

  constructor(
    readonly rec: TraceRecorder,
    componentName: string,
  ) {
    this.#async = new Map(Object.values(HOST_WIT).flatMap((text) => [...funcAsyncness(text)]));
    rec.instance(HOST_INSTANCE, "host");
    rec.instance(GUEST_INSTANCE, componentName);
  }

  /** The import object with every function and resource class traced, keyed as jco wants them. */
  imports(object: Record<string, InterfaceImpl>): Record<string, InterfaceImpl> {
    for (const [iface, impl] of Object.entries(object)) {
      for (const [key, v] of Object.entries(impl)) if (isClass(v)) this.#classes.set(v, { iface, resource: kebab(key) });
    }
    const out: Record<string, InterfaceImpl> = {};
    for (const [iface, impl] of Object.entries(object)) {
      const traced: InterfaceImpl = {};
      for (const [key, v] of Object.entries(impl)) {
        if (isClass(v)) traced[key] = this.#tracedClass(v, iface, kebab(key));
        else if (typeof v === "function") traced[key] = this.#traced(v as AnyFn, undefined, iface, kebab(key), `${iface}#${kebab(key)}`);
        else traced[key] = v;
      }
      out[iface] = traced;
    }
    return out;
  }

  /**
   * Calls an export as a task: task.start, then task.return and task.end when it settles.
   * Stream arguments (host -> guest) and a returned stream (guest -> host) are traced.
   */
  async callExport(label: string, fn: AnyFn, thisArg: unknown, args: unknown[]): Promise<unknown> {
    const task = this.#nextTask++;
    this.task = task;
    this.rec.taskStart(GUEST_INSTANCE, task, label);
    const tracedArgs = args.map((a) => (a instanceof ReadableStream ? this.hostStream(a, `${label} argument`) : a));
    let value: unknown;
    try {
      value = await fn.apply(thisArg, tracedArgs);
    } catch (err) {
      this.rec.taskEnd(GUEST_INSTANCE, task, label, "failed");
      throw err;
    }
    this.rec.taskReturn(GUEST_INSTANCE, task, label);
    this.rec.taskEnd(GUEST_INSTANCE, task, label);
    return isGuestStream(value) ? this.guestStream(value, `${label} result`) : value;
  }

  /** A guest-written stream the host reads: each read is a copy between the guest's writable end and the host's readable end. */
  guestStream<S extends object>(stream: S & { read: (o?: unknown) => Promise<IteratorResult<unknown>> }, label: string): S {
    const { rec } = this;
    const id = rec.newId();
    let idleSince: number | undefined;
    let ended = false;
    const read = async (opts?: unknown): Promise<IteratorResult<unknown>> => {
      if (idleSince !== undefined) {
        // The host was not reading since its last copy: a guest write in that window had to wait.
        const now = rec.nowNs();
        if (now - idleSince >= IDLE_NS) rec.backpressureWindow(idleSince, GUEST_INSTANCE, this.task, id, label, "host reader idle");
      }
      idleSince = undefined;
      const result = await stream.read(opts);
      if (result.done) {
        if (!ended) rec.streamDrop(GUEST_INSTANCE, this.task, id, "writable", label);
        ended = true;
        return result;
      }
      const n = countOf(result.value);
      rec.streamWrite(GUEST_INSTANCE, this.task, id, n, label);
      rec.streamRead(HOST_INSTANCE, 0, id, n, label);
      idleSince = rec.nowNs();
      return result;
    };
    const dropHost = () => {
      if (!ended) rec.streamDrop(HOST_INSTANCE, 0, id, "readable", label);
      ended = true;
    };
    return new Proxy(stream, {
      get(target, prop, receiver) {
        if (prop === "read") return read;
        if (prop === "next") return () => read();
        if (prop === Symbol.asyncIterator) return () => receiver;
        const v = Reflect.get(target, prop, target);
        if (typeof v !== "function") return v;
        if (prop === "return" || prop === Symbol.dispose) {
          return (...a: unknown[]) => {
            dropHost();
            return (v as AnyFn).apply(target, a);
          };
        }
        return (v as AnyFn).bind(target);
      },
    });
  }

  /** A host-written stream the guest reads: each chunk jco pulls is a copy from the host's writable end to the guest's readable end. */
  hostStream<T>(source: ReadableStream<T>, label: string): ReadableStream<T> {
    const { rec } = this;
    const id = rec.newId();
    const reader = source.getReader();
    let ended = false;
    return new ReadableStream<T>(
      {
        pull: async (controller) => {
          const { value, done } = await reader.read();
          if (done) {
            ended = true;
            rec.streamDrop(HOST_INSTANCE, 0, id, "writable", label);
            controller.close();
            return;
          }
          const n = countOf(value);
          rec.streamWrite(HOST_INSTANCE, 0, id, n, label);
          rec.streamRead(GUEST_INSTANCE, this.task, id, n, label);
          controller.enqueue(value);
        },
        cancel: async (reason) => {
          if (!ended) rec.streamDrop(GUEST_INSTANCE, this.task, id, "readable", label);
          ended = true;
          await reader.cancel(reason);
        },
      },
      { highWaterMark: 0 },
    );
  }

  /** A future<T> the host resolves: recorded when the host writes its value. */
  #hostFuture(p: PromiseLike<unknown>, label: string): PromiseLike<unknown> {
    const id = this.rec.newId();
    const written = (outcome: string) => this.rec.futureWrite(HOST_INSTANCE, 0, id, 1, label, outcome);
    p.then(
      () => written("value"),
      () => written("rejected"),
    );
    return p;
  }

  /** Wraps a traced import function; `self` is the resource instance for methods. */
  #traced(fn: AnyFn, self: object | undefined, iface: string, member: string, name: string): AnyFn {
    // `iface` is the guest's import name (versioned). The served WIT read here is 0.3; a 0.2
    // function has no futures, so a Promise from it is always a call that blocks the guest.
    const { base, version } = splitVersion(iface);
    const isAsync = version.startsWith("0.2") ? undefined : this.#async.get(`${base}#${member}`);
    return (...args: unknown[]) => {
      const { rec } = this;
      const id = rec.newId();
      const task = this.task;
      rec.hostBegin(GUEST_INSTANCE, task, id, name);
      let result: unknown;
      try {
        result = fn.apply(self, args.map((a) => this.#unwrap(a, 0, name)));
      } catch (err) {
        rec.hostEnd(GUEST_INSTANCE, task, id, name, "threw");
        throw err;
      }
      // A Promise is the completion of an async func, or of a 0.2 call that blocks the guest; from
      // a sync 0.3 func it is a future<T> the guest reads later.
      if (isThenable(result) && isAsync !== false) {
        return Promise.resolve(result).then(
          (value) => {
            rec.hostEnd(GUEST_INSTANCE, task, id, name);
            return this.#wrap(value, 0, name);
          },
          (err: unknown) => {
            rec.hostEnd(GUEST_INSTANCE, task, id, name, "threw");
            throw err;
          },
        );
      }
      rec.hostEnd(GUEST_INSTANCE, task, id, name);
      return isThenable(result) ? this.#hostFuture(result, name) : this.#wrap(result, 0, name);
    };
  }

  #tracedClass(cls: new (...args: unknown[]) => object, iface: string, resource: string): unknown {
    const ctor = this.#traced(
      (...args: unknown[]) => Reflect.construct(cls, args),
      undefined,
      iface,
      `[constructor]${resource}`,
      `${iface}#[constructor]${resource}`,
    );
    return new Proxy(cls, {
      construct: (_target, args) => this.#wrap(ctor(...args), 0, resource) as object,
      get: (target, prop) => {
        const v = Reflect.get(target, prop, target);
        if (typeof v !== "function" || typeof prop !== "string" || prop === "prototype" || !Object.hasOwn(target, prop)) return v;
        return this.#traced(v as AnyFn, target, iface, `${resource}.${kebab(prop)}`, `${iface}#${resource}.${kebab(prop)}`);
      },
    });
  }

  /** A host object going to the guest: resource instances proxied, streams and futures traced. */
  #wrap(v: unknown, depth: number, label: string): unknown {
    if (typeof v !== "object" || v === null || this.#targets.has(v)) return v;
    if (v instanceof ReadableStream) return this.hostStream(v, label);
    if (isThenable(v)) return this.#hostFuture(v, label);
    if (Array.isArray(v)) return depth < 3 ? v.map((x) => this.#wrap(x, depth + 1, label)) : v;
    const kind = this.#classes.get(Object.getPrototypeOf(v)?.constructor);
    return kind ? this.#resourceProxy(v, kind.iface, kind.resource) : v;
  }

  /** A guest argument going to the host: our proxies replaced by the host's objects; guest streams traced. */
  #unwrap(v: unknown, depth: number, label: string): unknown {
    if (typeof v !== "object" || v === null) return v;
    const target = this.#targets.get(v);
    if (target) return target;
    if (depth === 0 && isGuestStream(v)) return this.guestStream(v, label);
    if (Array.isArray(v) && depth < 3) return v.map((x) => this.#unwrap(x, depth + 1, label));
    return v;
  }

  #resourceProxy(obj: object, iface: string, resource: string): object {
    const known = this.#proxies.get(obj);
    if (known) return known;
    const methods = new Map<PropertyKey, AnyFn>();
    const proxy = new Proxy(obj, {
      get: (target, prop) => {
        const v = Reflect.get(target, prop, target);
        if (typeof v !== "function" || prop === "constructor") return v;
        let m = methods.get(prop);
        if (!m) {
          // Symbol-keyed methods (dispose) run untraced: they are jco's bookkeeping, not WIT calls.
          m = typeof prop === "string" ? this.#traced(v as AnyFn, target, iface, `${resource}.${kebab(prop)}`, `${iface}#${resource}.${kebab(prop)}`) : (v as AnyFn).bind(target);
          methods.set(prop, m);
        }
        return m;
      },
    });
    this.#proxies.set(obj, proxy);
    this.#targets.set(proxy, obj);
    return proxy;
  }
}
