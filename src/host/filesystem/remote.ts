/**
 * A run's filesystem connection: the run's worker calls the fs-owner's sessions over a
 * MessagePort (one per run). Requests carry an id and are answered in any order; a FsError keeps
 * its error code across the port. The owner closes a run's sessions when the run says it is done
 * or when its worker dies: the run holds a Web Lock named in its first message, and the owner
 * waits for that lock.
 */
import { FsError, type FsErrorCode } from "./errors";
import type { FsOwner, FsSession, Session } from "./owner";
import type { VfsApi } from "./vfs";

type Method = keyof VfsApi;

/** Byte arrays cross the port by transfer; one that is a view into a larger buffer is copied first. */
function own(v: unknown): unknown {
  if (!(v instanceof Uint8Array)) return v;
  return v.byteOffset === 0 && v.byteLength === v.buffer.byteLength && v.buffer instanceof ArrayBuffer ? v : v.slice();
}
const transferables = (vs: unknown[]): Transferable[] => vs.flatMap((v) => (v instanceof Uint8Array ? [v.buffer as ArrayBuffer] : []));

type Request =
  | { hello: string }
  | { id: number; ws: string; method: Method; args: unknown[] }
  | { release: number; ws: string }
  | { close: true };

type Response = { id: number; ok: true; value: unknown } | { id: number; ok: false; code?: FsErrorCode; detail?: string; name: string; message: string };

/** Owner side: serves one run's requests on `port` until it closes or its worker dies. */
export function serveRun(port: MessagePort, owner: FsOwner): void {
  const sessions = new Map<string, Promise<Session>>();
  let closed = false;
  const session = (ws: string) => {
    let s = sessions.get(ws);
    if (!s) {
      s = owner.workspace(ws).then((w) => w.session());
      sessions.set(ws, s);
      s.catch(() => sessions.delete(ws));
    }
    return s;
  };
  const close = () => {
    if (closed) return;
    closed = true;
    for (const s of sessions.values()) void s.then((x) => x.close(), () => undefined);
    port.close();
  };
  port.onmessage = async (e: MessageEvent<Request>) => {
    const m = e.data;
    if ("hello" in m) {
      // Granted once the run's worker released it: at the end of the run, or when it died.
      void navigator.locks?.request(m.hello, async () => close());
      return;
    }
    if ("close" in m) return close();
    if ("release" in m) return void session(m.ws).then((s) => s.release(m.release), () => undefined);
    let reply: Response;
    try {
      const s = await session(m.ws);
      const value = own(await (s[m.method] as (...a: unknown[]) => Promise<unknown>).apply(s, m.args));
      reply = { id: m.id, ok: true, value };
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      reply = err instanceof FsError ? { id: m.id, ok: false, code: err.code, detail: err.detail, name: e.name, message: e.message } : { id: m.id, ok: false, name: e.name, message: e.message };
    }
    if (!closed) port.postMessage(reply, reply.ok ? transferables([reply.value]) : []);
  };
}

/** Run side: the run's sessions, one per workspace, over `port`. */
export class RemoteFs {
  #next = 1;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  readonly #done: () => void;

  private constructor(
    private readonly port: MessagePort,
    done: () => void,
  ) {
    this.#done = done;
    port.onmessage = (e: MessageEvent<Response>) => {
      const r = e.data;
      const p = this.#pending.get(r.id);
      if (!p) return;
      this.#pending.delete(r.id);
      if (r.ok) p.resolve(r.value);
      else if (r.code) p.reject(new FsError(r.code, r.detail));
      else p.reject(Object.assign(new Error(r.message), { name: r.name }));
    };
  }

  /** Connects over `port`; holds a Web Lock for as long as the connection lives (see serveRun). */
  static async connect(port: MessagePort): Promise<RemoteFs> {
    let release = () => {};
    const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
    if (locks) {
      const name = `wasi-playground-fs-run:${crypto.randomUUID()}`;
      await new Promise<void>((held) => {
        void locks.request(name, () => {
          held();
          return new Promise<void>((r) => (release = r));
        });
      });
      port.postMessage({ hello: name } satisfies Request);
    }
    return new RemoteFs(port, () => release());
  }

  #call(ws: string, method: Method, args: unknown[]): Promise<unknown> {
    const id = this.#next++;
    // The caller may keep using its arrays (a guest's memory view): send copies, transferred.
    const sent = args.map((a) => (a instanceof Uint8Array ? a.slice() : a));
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.port.postMessage({ id, ws, method, args: sent } satisfies Request, transferables(sent));
    });
  }

  session(ws: string): FsSession {
    const call =
      <M extends Method>(method: M) =>
      (...args: Parameters<VfsApi[M]>) =>
        this.#call(ws, method, args) as ReturnType<VfsApi[M]>;
    return {
      stat: call("stat"),
      statAt: call("statAt"),
      openAt: call("openAt"),
      writeFileAt: call("writeFileAt"),
      read: call("read"),
      write: call("write"),
      setSize: call("setSize"),
      setTimes: call("setTimes"),
      readDirectory: call("readDirectory"),
      createDirectoryAt: call("createDirectoryAt"),
      removeDirectoryAt: call("removeDirectoryAt"),
      unlinkFileAt: call("unlinkFileAt"),
      symlinkAt: call("symlinkAt"),
      readlinkAt: call("readlinkAt"),
      linkAt: call("linkAt"),
      renameAt: call("renameAt"),
      sync: call("sync"),
      reset: call("reset"),
      id: call("id"),
      release: (ino) => this.port.postMessage({ release: ino, ws } satisfies Request),
      // Sessions end with the connection (`close` below).
      close: () => undefined,
    };
  }

  /** The run is over: the owner closes its sessions (descriptors, leases). */
  close(): void {
    this.port.postMessage({ close: true } satisfies Request);
    this.port.close();
    this.#done();
    for (const p of this.#pending.values()) p.reject(new FsError("bad-descriptor", "the run's filesystem connection was closed"));
    this.#pending.clear();
  }
}
