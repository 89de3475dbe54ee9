/**
 * The edge API gateway (examples/gateway): its parts linked on engine/cm in Node 20, without JSPI,
 * as the composition wires them: router <- rate-limiter, router <- auth <- keys, and one upstream
 * component instantiated twice, as the router's `users` and `orders` backends.
 */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { createHost, type Host } from "../host";
import { ManualClocks } from "../host/clocks/ctx";
import { Catalog, MemoryLibrary } from "../compose/catalog";
import { encodeGraph } from "../compose/encode";
import type { Graph, InstanceNode } from "../compose/graph";
import { CmEngine } from "../engine/cm/engine";
import { TraceRecorder } from "../engine/trace";
import { chunkToBatch } from "../protocol/trace-chunk";
import { exampleGraph, fileOf, GATEWAY_API, subgraph as part } from "./graphs";
import { linkGraph, type LinkedGraph } from "./link";

const iface = (name: string) => `playground:gateway/${name}@0.1.0`;
const ALICE = "tok_alice_7f3a";
const BOB = "tok_bob_91c2";
const ALICE_ME = '{"user":{"name":"Alice","plan":"pro"},"orders":[{"id":1041,"item":"teapot"},{"id":1077,"item":"cups"}]}';

function host(clocks?: ManualClocks): Host {
  return createHost({
    cli: { args: [], env: [], stdin: new Uint8Array(), stdout: { write: () => {} }, stderr: { write: () => {} } },
    blocking: { canSuspend: false },
    clocks,
  });
}

const built = (file: string) => new URL(`../../public/components/${file}`, import.meta.url);
const INDEX = JSON.parse(await readFile(built("index.json"), "utf8"));
const GATEWAY = exampleGraph(JSON.parse(await readFile(built("graphs.json"), "utf8")), "gateway");
const load = async (node: InstanceNode) => new Uint8Array(await readFile(built(fileOf(INDEX, node))));

/** A graph where the rate limiter has its own host whose clock moves only when told. */
function link(graph: Graph, limiterClock = new ManualClocks()): Promise<LinkedGraph> {
  const shared = host();
  const limiter = host(limiterClock);
  return linkGraph(graph, { load, host: (instance) => (instance === "rate-limiter" ? limiter : shared) });
}

/** The part of the gateway graph that `instances` make up, with the wires among them. */
const subgraph = (...instances: string[]): Graph => part(GATEWAY, ...instances);

const gateway = () => link(GATEWAY);

const handle = (g: LinkedGraph, client: string, token: string, path: string) => g.call("router", GATEWAY_API, "handle", [client, token, path]);

/** The tasks of one part's export calls, `task.start` to `task.return`: times in ns and positions in the trace. */
function spans(g: LinkedGraph, part: string, func: string) {
  const events = g.events();
  return events
    .filter((e) => e.part === part && e.kind === "task.start" && e.name === func)
    .map((start) => {
      const ret = events.find((e) => e.kind === "task.return" && e.task === start.task)!;
      return { task: start.task, start: Number(start.t), end: Number(ret.t), startAt: events.indexOf(start), endAt: events.indexOf(ret) };
    });
}

describe("auth <- keys", () => {
  it("passes a good token and refuses bad ones with their reasons", async () => {
    const g = await link(subgraph("keys", "auth"));
    const check = (token: string) => g.call("auth", iface("auth"), "check", [token]);
    expect(await check(ALICE)).toEqual({ tag: "ok", val: "alice" });
    expect(await check(BOB)).toEqual({ tag: "ok", val: "bob" });
    expect(await check("tok_carol_5d10")).toEqual({ tag: "err", val: "unknown or revoked token" });
    expect(await check("")).toEqual({ tag: "err", val: "missing token" });
    expect(await check("alice")).toEqual({ tag: "err", val: "malformed token: expected tok_..." });
    // Only well-formed tokens reach the key store: three lookups, each a subtask auth waited for.
    const lookups = g.events().filter((e) => e.part === "auth" && e.kind === "subtask.start" && e.name === "lookup");
    expect(lookups).toHaveLength(3);
  });
});

describe("rate-limiter", () => {
  it("refuses the sixth request in a 10 s window and admits again as the window slides", async () => {
    const clock = new ManualClocks();
    const g = await link(subgraph("rate-limiter"), clock);
    const admit = (client: string) => g.call("rate-limiter", iface("limits"), "admit", [client]);
    for (const left of [4, 3, 2, 1, 0]) expect(await admit("10.0.0.1")).toEqual({ tag: "ok", val: left });
    expect(await admit("10.0.0.1")).toEqual({ tag: "err", val: "rate limited: 5 requests from 10.0.0.1 in the last 10 s; retry in 10000 ms" });
    expect(await admit("10.0.0.2")).toEqual({ tag: "ok", val: 4 });
    clock.advance(4_000_000_000n);
    // Refused requests are not counted: the window still holds the first five, now 4 s old.
    expect(await admit("10.0.0.1")).toEqual({ tag: "err", val: "rate limited: 5 requests from 10.0.0.1 in the last 10 s; retry in 6000 ms" });
    clock.advance(6_000_000_000n);
    expect(await admit("10.0.0.1")).toEqual({ tag: "ok", val: 4 });
  });
});

describe("the gateway: router <- rate-limiter, auth <- keys, users and orders", () => {
  it("answers /me from both backends, whose calls overlap in time", async () => {
    const g = await gateway();
    expect(await handle(g, "10.0.0.1", ALICE, "/me")).toEqual({ tag: "ok", val: ALICE_ME });

    // Inside the router's one task: limiter (sync), auth (awaited), then both fetches started
    // before either came back.
    const router = g.events().filter((e) => e.part === "router" && (e.kind === "subtask.start" || e.kind === "subtask.resolve"));
    expect(router.map((e) => `${e.kind} ${e.name}`)).toEqual([
      "subtask.start admit",
      "subtask.resolve admit",
      "subtask.start check",
      "subtask.resolve check",
      "subtask.start fetch",
      "subtask.start fetch",
      "subtask.resolve fetch",
      "subtask.resolve fetch",
    ]);
    // Two instances of one component served them, each fetch in its own task; the tasks overlap.
    const [users] = spans(g, "users", "fetch");
    const [orders] = spans(g, "orders", "fetch");
    expect(users && orders).toBeTruthy();
    expect(Math.max(users!.startAt, orders!.startAt)).toBeLessThan(Math.min(users!.endAt, orders!.endAt));
    expect(Math.max(users!.start, orders!.start)).toBeLessThan(Math.min(users!.end, orders!.end));
    // So the two took less time together than one after the other.
    const together = Math.max(users!.end, orders!.end) - Math.min(users!.start, orders!.start);
    expect(together).toBeLessThan(users!.end - users!.start + (orders!.end - orders!.start));
  });

  it("routes single-backend paths and passes their answers on", async () => {
    const g = await gateway();
    expect(await handle(g, "10.0.0.1", BOB, "/orders/bob")).toEqual({ tag: "ok", val: "[]" });
    expect(await handle(g, "10.0.0.1", BOB, "/users/bob")).toEqual({ tag: "ok", val: '{"name":"Bob","plan":"free"}' });
    expect(await handle(g, "10.0.0.1", BOB, "/users/zed")).toEqual({ tag: "err", val: "404 nothing at /users/zed" });
    expect(spans(g, "orders", "fetch")).toHaveLength(1);
    expect(spans(g, "users", "fetch")).toHaveLength(2);
  });

  it("refuses with the status and reason of the part that refused", async () => {
    const g = await gateway();
    expect(await handle(g, "10.0.0.1", "tok_carol_5d10", "/me")).toEqual({ tag: "err", val: "401 unknown or revoked token" });
    expect(await handle(g, "10.0.0.1", "", "/me")).toEqual({ tag: "err", val: "401 missing token" });
    expect(await handle(g, "10.0.0.1", ALICE, "/admin")).toEqual({ tag: "err", val: "404 no route for /admin" });
    expect(await handle(g, "10.0.0.1", ALICE, "/me")).toEqual({ tag: "ok", val: ALICE_ME });
    expect(await handle(g, "10.0.0.1", ALICE, "/me")).toEqual({ tag: "ok", val: ALICE_ME });
    // The sixth request from this client inside the window: the limiter refuses it before auth is asked.
    const checks = spans(g, "auth", "check").length;
    expect(await handle(g, "10.0.0.1", ALICE, "/me")).toEqual({
      tag: "err",
      val: "429 rate limited: 5 requests from 10.0.0.1 in the last 10 s; retry in 10000 ms",
    });
    expect(spans(g, "auth", "check")).toHaveLength(checks);
    expect(await handle(g, "10.0.0.9", ALICE, "/orders/alice")).toEqual({ tag: "ok", val: '[{"id":1041,"item":"teapot"},{"id":1077,"item":"cups"}]' });
  });

  it("serves concurrent requests in one router instance, each with its own task state", async () => {
    const g = await gateway();
    const replies = await Promise.all([
      handle(g, "10.0.0.1", ALICE, "/me"),
      handle(g, "10.0.0.2", BOB, "/me"),
      handle(g, "10.0.0.3", BOB, "/users/bob"),
      handle(g, "10.0.0.4", "tok_nobody", "/me"),
    ]);
    expect(replies).toEqual([
      { tag: "ok", val: ALICE_ME },
      { tag: "ok", val: '{"user":{"name":"Bob","plan":"free"},"orders":[]}' },
      { tag: "ok", val: '{"name":"Bob","plan":"free"}' },
      { tag: "err", val: "401 unknown or revoked token" },
    ]);
    // All four router tasks started before the first one returned, and so did the four lookups.
    for (const [part, func] of [["router", "handle"], ["keys", "lookup"]] as const) {
      const s = spans(g, part, func);
      expect(s).toHaveLength(4);
      expect(Math.max(...s.map((x) => x.startAt))).toBeLessThan(Math.min(...s.map((x) => x.endAt)));
    }
  });
});

describe("the gateway composed into one component (src/compose)", () => {
  it("answers like the linked graph, its instances named in the trace", async () => {
    const library = new MemoryLibrary();
    for (const node of GATEWAY.instances) await library.add(fileOf(INDEX, node), await load(node));
    const composed = encodeGraph(new Catalog(library), GATEWAY, { name: "gateway" });
    expect(composed.exports).toEqual([GATEWAY_API]);
    const engine = new CmEngine();
    const trace = new TraceRecorder({ fidelity: "exact" });
    const inst = engine.instantiate(await engine.prepare(composed.bytes, "gateway-composed"), host(), "gateway.wasm", trace);
    const f = inst.func(GATEWAY_API, "handle")!;
    const replies = await Promise.all([
      inst.call(f, ["10.0.0.1", ALICE, "/me"]),
      inst.call(f, ["10.0.0.2", "tok_carol_5d10", "/me"]),
    ]);
    expect(replies).toEqual([
      { tag: "ok", val: ALICE_ME },
      { tag: "err", val: "401 unknown or revoked token" },
    ]);
    const named = chunkToBatch(trace.take()!).events.flatMap((e) => (e.kind === "instance" && e.name ? [e.name] : []));
    for (const name of ["router", "auth", "keys", "users", "orders", "rate-limiter"]) expect(named.some((n) => n.includes(name)), name).toBe(true);
  });
});
