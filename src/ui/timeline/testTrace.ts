/** Hand-built traces for the timeline's tests (what engine/jco and engine/cm record). */
import { nanos } from "../../base/time";
import type { TraceEvent, TraceKind } from "../../protocol/trace-events";

export function ev(tNs: number, kind: TraceKind, instance: number, task: number, extra: Partial<Omit<TraceEvent, "t" | "kind" | "instance" | "task">> = {}): TraceEvent {
  return { t: nanos(BigInt(tNs)), kind, instance, task, ...extra };
}

/** sleep-fanout's `fanout(n, ms)` as engine/jco records it: n overlapping wait-for host calls in task 1. */
export function fanoutTrace(n: number, waitNs = 10_000_000): TraceEvent[] {
  const name = "wasi:clocks/monotonic-clock@0.3.0#wait-for";
  const es = [ev(0, "instance", 0, 0, { name: "host" }), ev(0, "instance", 1, 0, { name: "sleep-fanout.wasm" }), ev(1000, "task.start", 1, 1, { name: "fanout" })];
  for (let i = 0; i < n; i++) es.push(ev(2000 + i * 100, "host.begin", 1, 1, { id: i + 1, name }));
  for (let i = 0; i < n; i++) es.push(ev(2000 + waitNs + i * 100, "host.end", 1, 1, { id: i + 1, name }));
  const end = 3000 + waitNs + n * 100;
  es.push(ev(end, "task.return", 1, 1, { name: "fanout" }), ev(end, "task.end", 1, 1, { name: "fanout" }));
  return es;
}

/** stream-upper's run: stdin chunks host -> guest, stdout chunks guest -> host, with counts. */
export function streamTrace(chunks: number[]): TraceEvent[] {
  const es = [ev(0, "instance", 0, 0, { name: "host" }), ev(0, "instance", 1, 0, { name: "stream-upper.wasm" }), ev(10, "task.start", 1, 1, { name: "wasi:cli/run@0.3.0#run" })];
  let t = 100;
  for (const n of chunks) {
    es.push(ev(t, "stream.write", 0, 0, { id: 1, count: n, end: "writable", name: "stdin" }), ev(t, "stream.read", 1, 1, { id: 1, count: n, end: "readable", name: "stdin" }));
    es.push(ev(t + 50, "stream.write", 1, 1, { id: 2, count: n, end: "writable", name: "stdout" }), ev(t + 60, "stream.read", 0, 0, { id: 2, count: n, end: "readable", name: "stdout" }));
    t += 100;
  }
  es.push(ev(t, "backpressure.on", 1, 1, { id: 2, end: "writable" }), ev(t + 40, "backpressure.off", 1, 1, { id: 2, end: "writable" }));
  es.push(ev(t + 50, "stream.drop", 1, 1, { id: 2, end: "writable" }), ev(t + 60, "task.return", 1, 1), ev(t + 60, "task.end", 1, 1));
  return es;
}

/**
 * A busy run of about `target` events: three instances serving many overlapping tasks, each with
 * one wait, ten host calls (up to a few in flight), a stream copy to the host and a return. For
 * tests and the 100,000-event benchmarks. Deterministic for a seed.
 */
export function syntheticTrace(target: number, seed = 1): TraceEvent[] {
  let x = seed >>> 0 || 1;
  const rand = (lo: number, hi: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return lo + ((x >>> 0) % (hi - lo + 1));
  };
  const es: TraceEvent[] = [ev(0, "instance", 0, 0, { name: "host" })];
  for (let i = 1; i <= 3; i++) es.push(ev(0, "instance", i, 0, { name: `worker-${i}.wasm` }));
  let t = 1000;
  let id = 0;
  for (let task = 1; es.length < target; task++) {
    const inst = 1 + (task % 3);
    const start = t;
    t += rand(2000, 20000);
    es.push(ev(start, "task.start", inst, task, { name: `handle-${task % 7}` }));
    es.push(ev(start + 100, "wait.begin", inst, task, { id: task, count: 2 }), ev(start + rand(200, 3000), "wait.end", inst, task, { id: task, detail: "subtask returned" }));
    let ct = start + 500;
    let last = ct;
    for (let c = 0; c < 10; c++) {
      const b = ct + rand(0, 3000);
      const e = b + rand(1000, 50000);
      const call = ++id;
      es.push(ev(b, "host.begin", inst, task, { id: call, name: c % 3 ? "wasi:clocks/monotonic-clock@0.3.0#wait-for" : "wasi:filesystem/types@0.3.0#descriptor.read-via-stream" }));
      es.push(ev(e, "host.end", inst, task, { id: call }));
      ct += rand(500, 6000);
      last = Math.max(last, e);
    }
    const stream = ++id;
    const n = rand(1, 65536);
    es.push(ev(last - 50, "stream.write", inst, task, { id: stream, count: n, end: "writable", name: "stdout" }), ev(last, "stream.read", 0, 0, { id: stream, count: n, end: "readable", name: "stdout" }));
    es.push(ev(last + 100, "task.return", inst, task), ev(last + 120, "task.end", inst, task));
  }
  // Stable: a begin and its end never swap.
  return es.map((e, i) => [e, i] as const).sort((a, b) => Number(a[0].t - b[0].t) || a[1] - b[1]).map(([e]) => e);
}

/**
 * A composition as engine/cm records it (the gateway's shape): root `gw.wasm` (1); `router` (2)
 * runs its tasks itself; `auth` (3) runs them in a nested instance it numbered (`instance 22`,
 * 4). The router's `handle` calls `check` in auth, which hands a stream back to the router.
 */
export function composedTrace(): TraceEvent[] {
  return [
    ev(0, "instance", 1, 0, { name: "gw.wasm" }),
    ev(0, "instance", 2, 0, { name: "gw.wasm/router", id: 1 }),
    ev(0, "instance", 3, 0, { name: "gw.wasm/auth", id: 1 }),
    ev(0, "instance", 4, 0, { name: "gw.wasm/auth/instance 22", id: 3 }),
    ev(0, "instance", 5, 0, { name: "gw.wasm/auth/local:init/shim", id: 3 }),
    ev(100, "task.start", 2, 1, { name: "handle" }),
    ev(110, "subtask.start", 2, 1, { id: 2, name: "check" }),
    ev(111, "task.start", 4, 3, { id: 2, name: "check" }),
    ev(120, "wait.begin", 2, 1, { id: 1, count: 1 }),
    ev(130, "stream.write", 4, 3, { id: 7, count: 4, end: "writable", detail: "completed" }),
    ev(140, "task.return", 4, 3, { name: "check" }),
    ev(141, "subtask.resolve", 2, 1, { id: 2, name: "check", detail: "returned" }),
    ev(142, "task.end", 4, 3, { name: "check" }),
    ev(145, "task.wake", 2, 1, { id: 1 }),
    ev(150, "wait.end", 2, 1, { id: 1, detail: "subtask 2 2" }),
    ev(160, "stream.read", 2, 1, { id: 7, count: 4, end: "readable", detail: "completed" }),
    ev(170, "backpressure.on", 2, 1, { id: 8, end: "writable" }),
    ev(200, "task.return", 2, 1, { name: "handle" }),
    ev(201, "task.end", 2, 1, { name: "handle" }),
  ];
}
