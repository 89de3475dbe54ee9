/**
 * The component-model-async caller/callee scenarios: which components, which host interfaces, what
 * to call, and what the result must be. Expected behaviour comes from jco's tests of these fixtures
 * (`packages/jco-transpile/test/p3/`, ported from Wasmtime's `component-async-tests`) and, where
 * jco leaves a scenario unimplemented, from Wasmtime's own scenario tests.
 *
 * A scenario's `run` returns an observation (plain data) that must equal `expected` once
 * normalised (`normalise`); a scenario expected to fail says so with `expected: { fails: ... }`
 * and pins, per engine, the exact trap its failure must show (each engine words traps its own way).
 */
import { chunksOf } from "../../src/base/streams";
import type { HostImports, Linked } from "./engines";

export interface HostSide {
  imports: HostImports;
  /** What the host saw (calls it received): the observation becomes `{ result, host: seen() }`. */
  seen?: () => unknown;
  /** Work the guest keeps doing after its export returned is finished (waited for up to 2 s). */
  settled?: () => boolean;
}

export type Expected = { value: unknown } | { fails: "prepare" | "run"; trap: { jco: RegExp; cm: RegExp } };

export interface Scenario {
  id: string;
  /** Components, callee first; composed so that each one's imports bind to the previous one's exports where it has them. */
  chain: string[];
  /** Where the expected behaviour is written down. */
  source: string;
  host?: () => HostSide;
  run: (l: Linked) => Promise<unknown>;
  expected: Expected;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Data values the two engines hand back, made comparable: bigints, typed arrays, absent fields. */
export function normalise(v: unknown): unknown {
  return JSON.parse(
    JSON.stringify(v ?? null, (_k, x: unknown) => {
      if (typeof x === "bigint") return `${x}n`;
      if (ArrayBuffer.isView(x)) return Array.from(x as unknown as ArrayLike<number>);
      return x;
    }),
  );
}

/** Every element of a stream the guest handed out, whatever the engine's host view offers. */
export async function drain(stream: unknown): Promise<unknown[]> {
  const out: unknown[] = [];
  const s = stream as { [Symbol.asyncIterator]?: () => AsyncIterator<unknown>; next?: () => Promise<IteratorResult<unknown>> };
  const push = (v: unknown) => (ArrayBuffer.isView(v) ? out.push(...Array.from(v as unknown as ArrayLike<number>)) : out.push(v));
  if (s instanceof ReadableStream) {
    for await (const v of chunksOf(s)) push(v);
  } else if (typeof s[Symbol.asyncIterator] === "function") {
    const it = s[Symbol.asyncIterator]!();
    for (let r = await it.next(); !r.done; r = await it.next()) push(r.value);
  } else if (typeof s.next === "function") {
    for (let r = await s.next(); !r.done; r = await s.next()) push(r.value);
  } else throw new Error(`not a stream: ${Object.prototype.toString.call(stream)}`);
  return out;
}

/** Every element of a stream the guest handed out, read one at a time where the view allows it. */
async function drainOneByOne(stream: unknown): Promise<unknown[]> {
  const s = stream as { read?: (o: { count: number }) => Promise<{ value?: ArrayLike<unknown> | unknown; done: boolean }> };
  if (typeof s.read !== "function") return drain(stream);
  const out: unknown[] = [];
  for (let r = await s.read({ count: 1 }); !r.done; r = await s.read({ count: 1 })) {
    if (Array.isArray(r.value) || ArrayBuffer.isView(r.value)) out.push(...Array.from(r.value as ArrayLike<unknown>));
    else if (r.value !== undefined) out.push(r.value);
  }
  return out;
}

/** A host stream that offers `chunks` (one element or one Uint8Array each), after `delayMs`. */
export function hostStream(chunks: unknown[], delayMs = 0): ReadableStream<unknown> {
  let i = 0;
  return new ReadableStream<unknown>(
    {
      async pull(c) {
        if (i === 0 && delayMs > 0) await sleep(delayMs);
        if (i < chunks.length) c.enqueue(chunks[i++]);
        else c.close();
      },
    },
    { highWaterMark: 0 },
  );
}

// ---------------------------------------------------------------- host interfaces

/** `local:local/baz` (round trips): answers after 10 ms, as Wasmtime's test host does. */
const baz = (): HostSide => ({
  imports: {
    "local:local/baz": {
      foo: async (s: string) => {
        await sleep(10);
        return `${s} - entered host - exited host`;
      },
    },
  },
});

/** `local:local/many`: echoes every argument back, the string marked. */
const many = (): HostSide => ({
  imports: {
    "local:local/many": {
      foo: async (a: string, ...rest: unknown[]) => {
        await sleep(10);
        return [`${a} - entered host - exited host`, ...rest];
      },
    },
  },
});

/** `local:local/ready`'s `thing` (Wasmtime's yield runner): not ready until `set-ready(true)`. */
function readyThing() {
  return class Thing {
    #wakers: Array<() => void> | null = null;
    setReady(ready: boolean) {
      if (ready) {
        const wakers = this.#wakers ?? [];
        this.#wakers = null;
        for (const w of wakers) w();
      } else this.#wakers ??= [];
    }
    /** Returns at once when ready: the guest then sees the call RETURNED without blocking. */
    whenReady(): Promise<void> | undefined {
      const wakers = this.#wakers;
      if (!wakers) return undefined;
      return new Promise<void>((r) => wakers.push(r));
    }
  };
}

function continueFlag() {
  let value = false;
  return {
    setContinue: (v: boolean) => void (value = v),
    getContinue: () => value,
  };
}

// ---------------------------------------------------------------- scenarios

const RT_INPUTS = ["hello, world!", "¡hola, mundo!", "hi y'all!"];
const rtOut = (s: string, guests: number) => `${s}${" - entered guest".repeat(guests)} - entered host - exited host${" - exited guest".repeat(guests)}`;

/** Three concurrent `local:local/baz#foo` calls, as Wasmtime's round-trip test makes them. */
function roundTrip(id: string, chain: string[]): Scenario {
  return {
    id,
    chain: chain.map((c) => `round-trip/async-round-trip-${c}.wasm`),
    source: "wasmtime tests/scenario/round_trip.rs (jco: round-trip.ts, skipped there)",
    host: baz,
    run: (l) => Promise.all(RT_INPUTS.map((s) => l.call("local:local/baz", "foo", [s]))),
    expected: { value: RT_INPUTS.map((s) => rtOut(s, chain.length)) },
  };
}

const STUFF = () => ({ a: new Int32Array(42).fill(42), b: true, c: 424242n });
const manyArgs = (s: string) => [s, 42, new Uint8Array(42).fill(42), [4242n, 424242424242n], STUFF(), STUFF(), { tag: "err" }];

function roundTripMany(id: string, chain: string[]): Scenario {
  return {
    id,
    chain: chain.map((c) => `round-trip/async-round-trip-many-${c}.wasm`),
    source: "wasmtime tests/scenario/round_trip_many.rs (jco: round-trip.ts, skipped there)",
    host: many,
    run: (l) => Promise.all(RT_INPUTS.map((s) => l.call("local:local/many", "foo", manyArgs(s)))),
    expected: { value: normalise(RT_INPUTS.map((s) => [rtOut(s, chain.length), ...manyArgs(s).slice(1)])) },
  };
}

const run = (l: Linked) => l.call("local:local/run", "run", []);


export const scenarios: Scenario[] = [
  {
    id: "backpressure-sync",
    chain: ["backpressure-sync/component.wasm"],
    source: "jco test/p3/backpressure.ts",
    run: async (l) => [await l.call(null, "inc-backpressure", []), await l.call(null, "dec-backpressure", [])],
    expected: { value: [null, null] },
  },
  {
    id: "context-sync",
    chain: ["context-sync/component.wasm"],
    source: "jco test/p3/context.ts: a task's context starts at 0",
    run: async (l) => [await l.call(null, "push-context", [33]), await l.call(null, "pull-context", [])],
    expected: { value: [33, 0] },
  },
  {
    id: "backpressure caller+callee",
    chain: ["backpressure/async-backpressure-callee.wasm", "backpressure/async-backpressure-caller.wasm"],
    source: "jco ported/.../backpressure.ts",
    run,
    expected: { value: null },
  },
  {
    id: "error-context",
    chain: ["error-context/async-error-context.wasm"],
    source: "jco ported/.../error-context.ts (single-component)",
    run,
    expected: { value: null },
  },
  {
    id: "error-context caller+callee",
    chain: ["error-context/async-error-context-callee.wasm", "error-context/async-error-context-caller.wasm"],
    source: "jco ported/.../error-context.ts (caller & callee)",
    run,
    expected: { value: null },
  },
  ...[false, true].flatMap((misbehave): Scenario[] =>
    // A misbehaving callee's spawned task calls `x.foo()` through its handle of `x` after `foo`
    // returned and that handle was dropped: the handle index (1 in engine/cm, 3 in jco) is unknown.
    [
      [
        "borrowing caller+callee",
        ["general/async-borrowing-callee.wasm", "general/async-borrowing-caller.wasm"],
        /^component 'general\/async-borrowing-callee\.wasm \+ general\/async-borrowing-caller\.wasm\/borrowing-callee': handle index 1 is not in the instance's table$/,
      ] as const,
      ["borrowing callee", ["general/async-borrowing-callee.wasm"], /^trapped after returning: component 'general\/async-borrowing-callee\.wasm': handle index 1 is not in the instance's table$/] as const,
    ].map(([name, chain, cmTrap]) => {
      let calls = 0;
      return {
        id: `${name}${misbehave ? " (misbehaving)" : ""}`,
        chain: [...chain],
        source: "jco ported/.../borrowing.ts: x.foo() once; a misbehaving callee uses a dropped borrow and traps",
        host: () => {
          calls = 0;
          return { imports: { "local:local/borrowing-types": { X: class X { foo() { calls++; } } } }, seen: () => ({ fooCalls: calls }) };
        },
        run: (l) => l.call("local:local/run-bool", "run", [misbehave]),
        expected: misbehave ? { fails: "run", trap: { jco: /^unknown handle index 3$/, cm: cmTrap } } : { value: { result: null, host: { fooCalls: 1 } } },
      };
    }),
  ),
  {
    id: "post-return caller+callee",
    chain: ["general/async-post-return-callee.wasm", "general/async-post-return-caller.wasm"],
    source: "jco ported/.../post-return.ts",
    run,
    expected: { value: null },
  },
  ...(
    [
      ["sleep-post-return callee", ["general/async-sleep-post-return-callee.wasm"], ["20n"]],
      ["sleep-post-return caller+callee", ["general/async-sleep-post-return-callee.wasm", "general/async-sleep-post-return-caller.wasm"], ["20n", "40n", "40n"]],
    ] as const
  ).map(
    ([id, chain, sleeps]): Scenario => ({
      id,
      chain: [...chain],
      source: "jco ported/.../post-return.ts: the export returns, then its spawned tasks still call sleep-millis",
      host: () => {
        const seen: bigint[] = [];
        return {
          imports: {
            "local:local/sleep": {
              // Seen once slept: `settled` then waits until the guest had each sleep's result, so
              // what it does with it (engine/cm traps there, e2e/cm-async.spec.ts JOINED_CANCEL) is
              // part of the run.
              sleepMillis: async (ms: bigint) => {
                await sleep(Number(ms));
                seen.push(ms);
              },
            },
          },
          settled: () => seen.length >= sleeps.length,
          seen: () => ({ sleeps: [...seen].sort((a, b) => Number(a - b)) }),
        };
      },
      run: (l) => l.call("local:local/sleep-post-return", "run", [20n]),
      expected: { value: { result: null, host: { sleeps: [...sleeps] } } },
    }),
  ),
  {
    id: "intertask-communication",
    chain: ["general/async-intertask-communication.wasm"],
    // The first task waits on a waitable set that the second one fills: the calls must overlap.
    source: "wasmtime tests/scenario/transmit.rs async_intertask_communication: two concurrent runs (jco's test runs them one after the other)",
    run: (l) => Promise.all([run(l), run(l)]),
    expected: { value: [null, null] },
  },
  {
    id: "readiness",
    chain: ["general/async-readiness.wasm"],
    source: "wasmtime tests/scenario/transmit.rs async_readiness (jco: transmit.ts, not implemented)",
    run: async (l) => {
      const expected = Uint8Array.of(2, 4, 6, 8, 9);
      const [stream, list] = (await l.call("local:local/readiness", "start", [hostStream([expected], 10), expected])) as [unknown, Uint8Array];
      return normalise({ stream: await drain(stream), list });
    },
    expected: { value: { stream: [1, 3, 5, 7, 11], list: [1, 3, 5, 7, 11] } },
  },
  {
    id: "short-reads",
    chain: ["general/async-short-reads.wasm"],
    source: "wasmtime tests/scenario/streams.rs async_short_reads (jco: short-reads.ts, only a TODO list): exported things through a stream and back, read one at a time",
    run: async (l) => {
      const strings = ["a", "b", "c", "d", "e"];
      const things = await Promise.all(strings.map((s) => l.construct("local:local/short-reads", "thing", [s])));
      const back = await drainOneByOne(await l.call("local:local/short-reads", "short-reads", [hostStream(things)]));
      return Promise.all(back.map((t) => l.method("local:local/short-reads", "thing", "get", t, [])));
    },
    expected: { value: ["a", "b", "c", "d", "e"] },
  },
  {
    id: "synchronous-transmit",
    chain: ["general/async-synchronous-transmit.wasm"],
    source: "wasmtime tests/scenario/transmit.rs async_synchronous_transmit",
    run: async (l) => {
      const expected = Uint8Array.of(2, 4, 6, 8, 9);
      const future = sleep(10).then(() => 10);
      const [stream, list, fut, byte] = (await l.call("local:local/synchronous-transmit", "start", [hostStream([expected], 10), expected, future, 10])) as [unknown, Uint8Array, PromiseLike<number>, number];
      // If the stream fails the future fails the same way, and that is reported through the stream.
      const value = Promise.resolve(fut);
      value.catch(() => undefined);
      return normalise({ stream: await drain(stream), list, future: await value, byte });
    },
    expected: { value: { stream: [1, 3, 5, 7, 11], list: [1, 3, 5, 7, 11], future: 13, byte: 13 } },
  },
  {
    id: "transmit caller+callee",
    chain: ["general/async-transmit-callee.wasm", "general/async-transmit-caller.wasm"],
    source: "wasmtime tests/scenario/transmit.rs async_transmit_caller (jco: transmit.ts, not implemented)",
    run,
    expected: { value: null },
  },
  ...(["stackless", "synchronous"] as const).map(
    (kind): Scenario => ({
      id: `poll ${kind}`,
      chain: [`poll/async-poll-${kind}.wasm`],
      source: "wasmtime tests/scenario/transmit.rs async_poll_* (jco: poll.ts, not implemented)",
      host: () => ({ imports: { "local:local/ready": { Thing: readyThing() } } }),
      run,
      expected: { value: null },
    }),
  ),
  roundTrip("round-trip stackless", ["stackless"]),
  roundTrip("round-trip wait", ["wait"]),
  roundTrip("round-trip synchronous", ["synchronous"]),
  roundTrip("round-trip stackful", ["stackful"]),
  roundTrip("round-trip stackless-sync-import", ["stackless-sync-import"]),
  roundTrip("round-trip stackless+stackless", ["stackless", "stackless"]),
  roundTrip("round-trip synchronous+stackless", ["synchronous", "stackless"]),
  roundTrip("round-trip stackless+synchronous", ["stackless", "synchronous"]),
  {
    id: "round-trip direct-stackless",
    chain: ["round-trip/async-round-trip-direct-stackless.wasm"],
    source: "wasmtime tests/scenario/round_trip_direct.rs (jco: round-trip.ts, skipped there)",
    host: () => ({
      imports: {
        foo: {
          default: async (s: string) => {
            await sleep(10);
            return `${s} - entered host - exited host`;
          },
        },
      },
    }),
    run: (l) => Promise.all([0, 1, 2].map(() => l.call(null, "foo", ["hello, world!"]))),
    expected: { value: [0, 1, 2].map(() => rtOut("hello, world!", 1)) },
  },
  roundTripMany("round-trip many-stackless", ["stackless"]),
  roundTripMany("round-trip many-wait", ["wait"]),
  roundTripMany("round-trip many-synchronous", ["synchronous"]),
  roundTripMany("round-trip many-stackful", ["stackful"]),
  roundTripMany("round-trip many-stackless+stackless", ["stackless", "stackless"]),
  {
    id: "closed-stream",
    chain: ["streams/async-closed-stream.wasm"],
    source: "jco ported/.../closed-stream.ts: the stream ends at once",
    run: async (l) => drain(await l.call("local:local/closed-stream", "get", [])),
    expected: { value: [] },
  },
  {
    id: "closed-streams read-stream",
    chain: ["streams/async-closed-streams.wasm"],
    source: "wasmtime tests/scenario/streams.rs test_closed_streams (host->guest stream: the guest reads the values and returns)",
    run: async (l) => (await l.call("local:local/closed", "read-stream", [hostStream([Uint8Array.of(42, 43, 44)]), Uint8Array.of(42, 43, 44)])) ?? null,
    expected: { value: null },
  },
  {
    id: "closed-streams read-future",
    chain: ["streams/async-closed-streams.wasm"],
    source: "wasmtime tests/scenario/streams.rs test_closed_streams (host->guest future)",
    run: async (l) => (await l.call("local:local/closed", "read-future", [Promise.resolve(42), 42, new Promise(() => {})])) ?? null,
    expected: { value: null },
  },
  {
    id: "read-resource-stream",
    chain: ["streams/async-read-resource-stream.wasm"],
    source: "jco ported/.../read-resource-stream.ts (resources through a host stream)",
    host: () => {
      class X {
        foo() {}
      }
      return { imports: { "local:local/resource-stream": { X, foo: (count: number) => hostStream(Array.from({ length: count }, () => new X())) } } };
    },
    run,
    expected: { value: null },
  },
  {
    id: "unit-stream caller+callee",
    chain: ["streams/async-unit-stream-callee.wasm", "streams/async-unit-stream-caller.wasm"],
    source: "jco ported/.../unit-stream.ts",
    run,
    expected: { value: null },
  },
  {
    id: "yield caller+callee-stackless",
    chain: ["yield/async-yield-callee-stackless.wasm", "yield/async-yield-caller.wasm"],
    source: "jco ported/.../yield.ts (stackless)",
    host: () => ({ imports: { "local:local/continue": continueFlag(), "local:local/ready": { Thing: readyThing() } } }),
    run,
    expected: { value: null },
  },
  {
    id: "yield callee-synchronous (cancellable flag)",
    chain: ["yield/async-yield-callee-synchronous.wasm", "yield/async-yield-caller.wasm"],
    // The shared README calls its `cancellable` flag outdated (jco 1.35 refuses it); the current
    // CanonicalABI.md has the flag again (the reference tests' cancellable.wast uses it).
    source: "jco ported/.../yield.ts (synchronous), with the `cancellable` flag of the current spec",
    host: () => ({ imports: { "local:local/continue": continueFlag(), "local:local/ready": { Thing: readyThing() } } }),
    run,
    expected: { value: null },
  },
];
