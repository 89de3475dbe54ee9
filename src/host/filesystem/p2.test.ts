/** wasi:filesystem 0.2 and 0.3 over one Vfs, as a guest of each version would call them. */
import { describe, expect, it } from "vitest";
import { createHost, suspendingFunctions } from "..";
import { NeedsJspiError } from "../io/ctx";
import { FsError } from "./errors";
import { MemoryKv, type KvStore, type KvTx } from "./kv";
import { FsOwner } from "./owner";
import { ROOT_INO, Vfs } from "./vfs";

type Any = Record<string, (...a: unknown[]) => unknown>;
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

async function setup(opts: { canSuspend?: boolean; store?: KvStore } = {}) {
  const owner = new FsOwner((_name, onChange) => Vfs.open(opts.store ?? new MemoryKv(), { onChange }));
  const ws = await owner.workspace("test");
  const vfs = ws.vfs;
  const host = createHost({
    cli: { args: [], env: [], stdin: new Uint8Array(), stdout: { write() {} }, stderr: { write() {} } },
    blocking: { canSuspend: opts.canSuspend ?? true },
    preopens: [{ fs: ws.session(), ino: ROOT_INO, guestPath: "/", readOnly: false }],
  });
  const iface = (name: string) => host.interfaces.get(name) as Any;
  const root = (version: string) => (iface(`wasi:filesystem/preopens@${version}`).getDirectories!() as Array<[Any, string]>)[0]![0];
  return { vfs, host, iface, root };
}

/** A store whose writes fail as a full disk does, once `full` is set (IndexedDB's quota error). */
class FullAfter implements KvStore {
  full = false;
  constructor(private readonly inner: KvStore) {}
  tx<T>(mode: "readonly" | "readwrite", fn: (tx: KvTx) => Promise<T>): Promise<T> {
    if (mode === "readwrite" && this.full) return Promise.reject(new FsError("insufficient-space"));
    return this.inner.tx(mode, fn);
  }
  close(): void {}
}

/** What jco hands a guest for a 0.2 call that suspends: the awaited value. */
const call = async <T>(v: T | Promise<T>): Promise<T> => v;

async function p2Error(f: () => unknown): Promise<unknown> {
  try {
    await f();
  } catch (e) {
    return (e as { payload?: unknown }).payload;
  }
  return "ok";
}

async function* bytesOf(text: string): AsyncGenerator<number> {
  for (const b of enc(text)) yield b;
}

describe("wasi:filesystem 0.2 next to 0.3", () => {
  it("reads through a 0.2 input-stream what 0.3 wrote, and 0.3 reads what a 0.2 output-stream wrote", async () => {
    const { root } = await setup();
    const r3 = root("0.3.0");
    const f3 = (await r3.openAt!({}, "a.txt", { create: true }, { write: true })) as Any;
    expect(await f3.writeViaStream!(bytesOf("from 0.3"), 0n)).toEqual({ tag: "ok", val: undefined });

    const r2 = root("0.2.12");
    const f2 = await call(r2.openAt!({}, "a.txt", {}, { read: true }) as Any);
    const input = f2.readViaStream!(0n) as Any;
    expect(dec(await call(input.blockingRead!(100n) as Uint8Array))).toBe("from 0.3");
    // A stream-error is thrown as the value itself (jco lowers it as the `err`).
    await expect(call(input.blockingRead!(100n))).rejects.toEqual({ tag: "closed" });

    const w2 = await call(r2.openAt!({}, "b.txt", { create: true }, { write: true }) as Any);
    const out = w2.writeViaStream!(0n) as Any;
    await call(out.blockingWriteAndFlush!(enc("from 0.2")));
    const b3 = (await r3.openAt!({}, "b.txt", {}, { read: true })) as Any;
    const [stream, done] = b3.readViaStream!(0n) as [ReadableStream<Uint8Array>, Promise<unknown>];
    expect(await new Response(stream).text()).toBe("from 0.2");
    expect(await done).toEqual({ tag: "ok", val: undefined });
  });

  it("a non-blocking read returns nothing until the chunk is fetched, and its pollable says when", async () => {
    const { root, vfs } = await setup();
    await vfs.writeFileAt(ROOT_INO, "c.txt", enc("hello"));
    const f = await call(root("0.2.12").openAt!({}, "c.txt", {}, {}) as Any);
    const input = f.readViaStream!(1n) as Any;
    expect((input.read!(10n) as Uint8Array).length).toBe(0);
    const pollable = input.subscribe!() as Any;
    await call(pollable.block!());
    expect(pollable.ready!()).toBe(true);
    expect(dec(input.read!(10n) as Uint8Array)).toBe("ello");
  });

  it("queues writes: check-write shrinks while they land, flush waits for them", async () => {
    const { root, vfs } = await setup();
    const f = await call(root("0.2.12").openAt!({}, "d.txt", { create: true }, { write: true }) as Any);
    const out = f.appendViaStream!() as Any;
    const budget = out.checkWrite!() as bigint;
    out.write!(enc("abc"));
    expect(out.checkWrite!()).toBe(budget - 3n);
    expect((out.subscribe!() as Any).ready!()).toBe(false);
    await call(out.blockingFlush!());
    expect(out.checkWrite!()).toBe(budget);
    out.write!(enc("def"));
    await call(out.blockingFlush!());
    const node = await vfs.statAt(ROOT_INO, "d.txt", false);
    expect(dec(await vfs.read(node.ino, 0, 100))).toBe("abcdef");
  });

  it("descriptor read/write at offsets, stat, directory entries, and error codes as 0.2 enums", async () => {
    const { root } = await setup();
    const r = root("0.2.12");
    const f = await call(r.openAt!({}, "e.bin", { create: true }, { read: true, write: true }) as Any);
    expect(await call(f.write!(enc("0123456789"), 2n))).toBe(10n);
    const [bytes, eof] = await call(f.read!(4n, 0n) as [Uint8Array, boolean]);
    expect([...bytes]).toEqual([0, 0, 48, 49]);
    expect(eof).toBe(false);
    expect((await call(f.read!(100n, 8n) as [Uint8Array, boolean]))[1]).toBe(true);
    const st = await call(f.stat!() as Any);
    expect(st).toMatchObject({ type: "regular-file", size: 12n, linkCount: 1n });
    expect(f.getType!()).toBe("regular-file");
    await call(r.createDirectoryAt!("sub"));
    const list = await call(r.readDirectory!() as Any);
    const names: unknown[] = [];
    for (let e = list.readDirectoryEntry!(); e; e = list.readDirectoryEntry!()) names.push(e);
    expect(names).toEqual([
      { type: "regular-file", name: "e.bin" },
      { type: "directory", name: "sub" },
    ]);
    expect(await p2Error(() => r.openAt!({}, "missing", {}, {}))).toBe("no-entry");
    expect(await p2Error(() => r.createDirectoryAt!("sub"))).toBe("exist");
    expect(await p2Error(() => f.createDirectoryAt!("x"))).toBe("not-directory");
    expect(await p2Error(() => r.readViaStream!(0n))).toBe("is-directory");
  });

  it("a failed write is reported on the next call with the filesystem's error code", async () => {
    const store = new FullAfter(new MemoryKv());
    const { root, iface } = await setup({ store });
    const f = await call(root("0.2.12").openAt!({}, "full.txt", { create: true }, { write: true }) as Any);
    const out = f.writeViaStream!(0n) as Any;
    store.full = true;
    out.write!(enc("does not fit"));
    const thrown = await call(out.blockingFlush!()).then(
      () => ({ tag: "ok", val: undefined }),
      (e: unknown) => e as { tag: string; val: unknown },
    );
    expect(thrown.tag).toBe("last-operation-failed");
    expect(iface("wasi:filesystem/types@0.2.12").filesystemErrorCode!(thrown.val)).toBe("insufficient-space");
    expect(() => out.checkWrite!()).toThrow();
  });

  it("without JSPI a 0.2 call that needs IndexedDB says so instead of blocking", async () => {
    const { root } = await setup({ canSuspend: false });
    expect(() => root("0.2.12").statAt!({}, "x")).toThrow(NeedsJspiError);
    expect(() => root("0.2.12").statAt!({}, "x")).toThrow(
      "This component blocks synchronously (the WASI 0.2 call wasi:filesystem/types@0.2.12#[method]descriptor.stat-at must wait, which suspends the guest) and needs JavaScript Promise Integration (JSPI), which this browser lacks; it runs in Chromium and Firefox.",
    );
  });

  it("declares which 0.2 functions suspend, for any compatible import version", () => {
    expect(suspendingFunctions("wasi:filesystem/types@0.2.4")).toContain("[method]descriptor.open-at");
    expect(suspendingFunctions("wasi:filesystem/types@0.2.4")).not.toContain("[method]descriptor.get-type");
    expect(suspendingFunctions("wasi:io/poll@0.2.0")).toEqual(["poll", "[method]pollable.block"]);
    expect(suspendingFunctions("wasi:filesystem/types@0.3.0")).toEqual([]);
    expect(suspendingFunctions("wasi:http/types@0.2.4")).toEqual([]);
  });
});
