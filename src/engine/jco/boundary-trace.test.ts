/** host-boundary tracing over the real host, without jco: calls made the way jco makes them. */
import { describe, expect, it } from "vitest";
import { createHost } from "../../host";
import { ManualClocks } from "../../host/clocks/ctx";
import { MemoryKv } from "../../host/filesystem/kv";
import { FsOwner } from "../../host/filesystem/owner";
import { ROOT_INO, Vfs } from "../../host/filesystem/vfs";
import type { TraceEvent } from "../../protocol/trace-events";
import { TraceRecorder } from "../trace";
import { BoundaryTrace, GUEST_INSTANCE, HOST_INSTANCE, kebab } from "./boundary-trace";

type Fn = (...a: unknown[]) => unknown;

async function setup(stdin = "") {
  const out: Uint8Array[] = [];
  const clocks = new ManualClocks();
  const owner = new FsOwner((_name, onChange) => Vfs.open(new MemoryKv(), { onChange }));
  const fs = (await owner.workspace("test")).session();
  const host = createHost({
    cli: { args: ["p"], env: [], stdin: new TextEncoder().encode(stdin), stdout: { write: (b) => void out.push(b) }, stderr: { write() {} } },
    blocking: { canSuspend: false },
    clocks,
    preopens: [{ fs, ino: ROOT_INO, guestPath: "/", readOnly: false }],
  });
  const rec = new TraceRecorder({ fidelity: "host-boundary" });
  const bt = new BoundaryTrace(rec, "guest.wasm");
  // jco's import object: the guest's versioned import names (the engine maps each to itself).
  const imports = bt.imports({
    "wasi:clocks/monotonic-clock@0.3.0": host.interfaces.get("wasi:clocks/monotonic-clock@0.3.0")!,
    "wasi:cli/stdout@0.3.0": host.interfaces.get("wasi:cli/stdout@0.3.0")!,
    "wasi:cli/stdin@0.3.0": host.interfaces.get("wasi:cli/stdin@0.3.0")!,
    "wasi:filesystem/preopens@0.3.0": host.interfaces.get("wasi:filesystem/preopens@0.3.0")!,
    "wasi:filesystem/types@0.3.0": host.interfaces.get("wasi:filesystem/types@0.3.0")!,
  });
  const fn = (iface: string, name: string) => (imports[iface] as Record<string, Fn>)[name]!;
  const events = () => rec.takeBatch().events;
  return { bt, clocks, fn, events, out, imports };
}

/** A guest-written stream as jco hands it to the host: `read({count})` plus async iteration. */
function guestStream(chunks: Uint8Array[]) {
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      return this.read();
    },
    async read() {
      const value = chunks.shift();
      return value ? { value, done: false } : { value: undefined, done: true };
    },
  };
}

const strip = (es: TraceEvent[]) => es.map(({ t: _t, ...rest }) => rest);

describe("BoundaryTrace", () => {
  it("names the host and guest lanes", async () => {
    const { events } = await setup();
    expect(strip(events())).toEqual([
      { kind: "instance", instance: HOST_INSTANCE, task: 0, name: "host" },
      { kind: "instance", instance: GUEST_INSTANCE, task: 0, name: "guest.wasm" },
    ]);
  });

  it("an async import's span lasts until its Promise settles; 50 overlap inside one task", async () => {
    const { bt, clocks, fn, events } = await setup();
    events();
    const waitFor = fn("wasi:clocks/monotonic-clock@0.3.0", "waitFor");
    const done = bt.callExport("fanout", async () => Promise.all(Array.from({ length: 50 }, () => waitFor(10n))), undefined, []);
    await Promise.resolve();
    const during = events();
    expect(during.filter((e) => e.kind === "host.begin")).toHaveLength(50);
    expect(during.filter((e) => e.kind === "host.end")).toHaveLength(0);
    expect(during[0]).toMatchObject({ kind: "task.start", instance: GUEST_INSTANCE, task: 1, name: "fanout" });
    expect(during[1]).toMatchObject({ kind: "host.begin", instance: GUEST_INSTANCE, task: 1, name: "wasi:clocks/monotonic-clock@0.3.0#wait-for" });
    clocks.advance(10n);
    await done;
    const after = events();
    expect(after.filter((e) => e.kind === "host.end")).toHaveLength(50);
    expect(after.slice(-2).map((e) => e.kind)).toEqual(["task.return", "task.end"]);
  });

  it("a sync import returning a future ends at once; the future and the stream's copies are recorded with counts", async () => {
    const { fn, events, out } = await setup();
    events();
    const future = fn("wasi:cli/stdout@0.3.0", "writeViaStream")(guestStream([Uint8Array.of(1, 2, 3), Uint8Array.of(4, 5)])) as Promise<unknown>;
    const first = events();
    expect(first.map((e) => e.kind)).toEqual(["host.begin", "host.end"]);
    expect(first[0]!.name).toBe("wasi:cli/stdout@0.3.0#write-via-stream");
    expect(await future).toEqual({ tag: "ok", val: undefined });
    const rest = events();
    const writes = rest.filter((e) => e.kind === "stream.write");
    const reads = rest.filter((e) => e.kind === "stream.read");
    expect(writes.map((e) => [e.instance, e.end, e.count])).toEqual([
      [GUEST_INSTANCE, "writable", 3],
      [GUEST_INSTANCE, "writable", 2],
    ]);
    expect(reads.map((e) => [e.instance, e.end, e.count])).toEqual([
      [HOST_INSTANCE, "readable", 3],
      [HOST_INSTANCE, "readable", 2],
    ]);
    expect(new Set(rest.filter((e) => e.kind.startsWith("stream.")).map((e) => e.id)).size).toBe(1);
    expect(rest.some((e) => e.kind === "stream.drop" && e.end === "writable")).toBe(true);
    expect(rest.some((e) => e.kind === "future.write" && e.instance === HOST_INSTANCE)).toBe(true);
    expect(out.map((b) => Array.from(b))).toEqual([[1, 2, 3], [4, 5]]);
  });

  it("a host reader idle for a millisecond or more shows as backpressure on the guest's writes, from when it stopped reading", async () => {
    const clock = { ms: 0 };
    const rec = new TraceRecorder({ fidelity: "host-boundary", now: () => clock.ms, clockEvery: 1 });
    const bt = new BoundaryTrace(rec, "guest.wasm");
    rec.take();
    const s = bt.guestStream(guestStream([Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)]), "out");
    await s.read();
    clock.ms += 0.5;
    await s.read();
    clock.ms += 2;
    await s.read();
    expect(rec.takeBatch().events.filter((e) => e.kind.startsWith("backpressure."))).toEqual([
      { t: 500_000n, kind: "backpressure.on", instance: GUEST_INSTANCE, task: 0, id: 1, name: "out", end: "writable", detail: "host reader idle" },
      { t: 2_500_000n, kind: "backpressure.off", instance: GUEST_INSTANCE, task: 0, id: 1, name: "out", end: "writable" },
    ]);
  });

  it("a host-written stream (stdin) records each chunk the guest pulls", async () => {
    const { fn, events } = await setup("hello");
    events();
    const [stream] = fn("wasi:cli/stdin@0.3.0", "readViaStream")() as [ReadableStream<Uint8Array>, Promise<unknown>];
    expect(await new Response(stream).text()).toBe("hello");
    const es = events();
    expect(es.filter((e) => e.kind === "stream.write").map((e) => [e.instance, e.count])).toEqual([[HOST_INSTANCE, 5]]);
    expect(es.filter((e) => e.kind === "stream.read").map((e) => [e.instance, e.count])).toEqual([[GUEST_INSTANCE, 5]]);
  });

  it("resource methods are traced and still see the host's objects", async () => {
    const { fn, events, imports } = await setup();
    const [[root]] = fn("wasi:filesystem/preopens@0.3.0", "getDirectories")() as [[object, string]];
    const Descriptor = (imports["wasi:filesystem/types@0.3.0"] as Record<string, unknown>).Descriptor as new () => object;
    expect(root instanceof Descriptor).toBe(true);
    const d = root as Record<string, Fn>;
    const file = (await d.openAt!({}, "a.txt", { create: true }, { read: true, write: true })) as Record<string, Fn>;
    expect(file instanceof Descriptor).toBe(true);
    // Host code reads private fields of its arguments (`newDir.#dir()`): it must get its own object, not our proxy.
    await d.linkAt!({}, "a.txt", root, "b.txt");
    expect(await file.isSameObject!(root)).toBe(false);
    const names = events().filter((e) => e.kind === "host.begin").map((e) => e.name);
    expect(names).toEqual([
      "wasi:filesystem/preopens@0.3.0#get-directories",
      "wasi:filesystem/types@0.3.0#descriptor.open-at",
      "wasi:filesystem/types@0.3.0#descriptor.link-at",
      "wasi:filesystem/types@0.3.0#descriptor.is-same-object",
    ]);
  });

  it("kebab-cases jco's names back to WIT's", () => {
    expect([kebab("readViaStream"), kebab("TerminalInput"), kebab("now")]).toEqual(["read-via-stream", "terminal-input", "now"]);
  });
});
