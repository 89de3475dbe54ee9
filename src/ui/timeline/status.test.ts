import { describe, expect, it } from "vitest";
import { batchToChunk } from "../../protocol/trace-chunk";
import { TraceSession } from "./session";
import { readStatus, sameStatus, statusText, type TimelineStatus } from "./status";
import { fanoutTrace } from "./testTrace";

describe("readStatus", () => {
  it("says where the trace comes from and how far it is laid out", () => {
    const session = new TraceSession();
    expect(readStatus(session, true)).toMatchObject({ events: 0, component: null, origin: null, live: false, follow: true });
    session.begin({ kind: "run", component: "sleep-fanout.wasm", engine: "cm" });
    session.append(batchToChunk({ fidelity: "exact", events: fanoutTrace(2), dropped: 0 }));
    expect(readStatus(session, false)).toMatchObject({ events: 9, laidOut: 0, fidelity: "exact", component: "sleep-fanout.wasm", origin: "engine/cm", live: true, follow: false, loading: null, error: null });
    session.settle();
    session.end();
    expect(readStatus(session, false)).toMatchObject({ laidOut: 9, live: false, instances: [{ instance: 1, name: "sleep-fanout.wasm" }, { instance: 0, name: "host" }] });
    session.begin({ kind: "file", file: "saved.json", component: "stream-upper.wasm" });
    expect(readStatus(session, true)).toMatchObject({ events: 0, origin: "file saved.json", component: "stream-upper.wasm" });
  });
});

const base: TimelineStatus = {
  events: 1000,
  laidOut: 250,
  dropped: 0,
  fidelity: "exact",
  live: true,
  loading: null,
  error: null,
  component: "hello.wasm",
  origin: "engine/cm",
  instances: [{ instance: 1, name: "hello.wasm" }],
  follow: true,
};

describe("sameStatus", () => {
  it("is true for equal statuses and false when anything the toolbar shows changed", () => {
    expect(sameStatus(base, { ...base, instances: [{ instance: 1, name: "hello.wasm" }] })).toBe(true);
    expect(sameStatus(base, { ...base, laidOut: 251 })).toBe(false);
    expect(sameStatus(base, { ...base, follow: false })).toBe(false);
    expect(sameStatus(base, { ...base, instances: [...base.instances, { instance: 2, name: "b" }] })).toBe(false);
    expect(sameStatus(base, { ...base, instances: [{ instance: 1, name: "other.wasm" }] })).toBe(false);
  });
});

describe("statusText", () => {
  it("names the trace, counts events, says live and how far layout got", () => {
    expect(statusText(null)).toBe("no trace yet");
    expect(statusText({ ...base, events: 0 })).toBe("no trace yet");
    expect(statusText(base)).toBe("hello.wasm (engine/cm) · 1,000 events · live · laying out 25%");
    expect(statusText({ ...base, live: false, laidOut: 1000, origin: null })).toBe("hello.wasm · 1,000 events");
    expect(statusText({ ...base, live: false, laidOut: 1000, loading: 0.426 })).toBe("hello.wasm (engine/cm) · 1,000 events · loading 43%");
  });
});
