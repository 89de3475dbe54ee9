// The hub's bookkeeping with real MessageChannels: port blocks, the bind race, leaving.
import { describe, expect, it } from "vitest";
import { EPHEMERAL_BLOCK, NetHub } from "./hub";

const settle = () => new Promise((r) => setTimeout(r, 20));
const hub = () => new NetHub(() => Promise.reject(new Error("no relay")));
const at = (port: number) => ({ family: "ipv4" as const, ip: "127.0.0.1", port });

describe("NetHub", () => {
  it("gives each node its own block of ephemeral ports", () => {
    const h = hub();
    const a = h.attachLocal(1, "a").bind("tcp", at(0)).addr.port;
    const b = h.attachLocal(2, "b").bind("tcp", at(0)).addr.port;
    expect(a).toBeGreaterThanOrEqual(49152);
    expect(Math.abs(a - b)).toBeGreaterThanOrEqual(EPHEMERAL_BLOCK);
  });

  it("keeps the first of two nodes that bound one port in the same instant", async () => {
    const h = hub();
    const a = h.attachLocal(1, "a");
    const b = h.attachLocal(2, "b");
    const first = a.bind("udp", at(5000));
    const second = b.bind("udp", at(5000)); // b has not heard of a's binding yet
    let lost = false;
    second.onLost = () => (lost = true);
    await settle();
    expect(first.lost).toBe(false);
    expect(second.lost).toBe(true);
    expect(lost).toBe(true);
    expect(() => b.bind("udp", at(5000))).toThrow(/in use/);
  });

  it("frees a run's ports when it leaves, and resets its peers only when it was stopped", async () => {
    const h = hub();
    const a = h.attachLocal(1, "server");
    const b = h.attachLocal(2, "client");
    const listener = a.bind("tcp", at(8000));
    a.listen(listener, 4, () => true);
    await settle();
    expect(() => b.bind("tcp", at(8000))).toThrow(/in use/);
    const pipe = (await b.connect(b.bind("tcp", at(0)).addr, at(8000)))!;
    h.detach(1);
    await settle();
    expect(pipe.error?.code).toBe("connection-reset");
    expect(b.bind("tcp", at(8000)).addr.port).toBe(8000);
    const s = h.state();
    expect(s.sockets).toEqual([]);
  });

  it("refuses a connect to a port that is bound but not listening", async () => {
    const h = hub();
    const a = h.attachLocal(1, "a");
    const b = h.attachLocal(2, "b");
    a.bind("tcp", at(8100));
    await settle();
    expect(await b.connect(b.bind("tcp", at(0)).addr, at(8100))).toBeNull();
  });

  it("dials a listener for the page (the conformance runner's connect)", async () => {
    const h = hub();
    const a = h.attachLocal(1, "server");
    const l = a.bind("tcp", at(8200));
    a.listen(l, 4, (inc) => {
      void (async () => {
        for (let c = await inc.pipe.read(); c; c = await inc.pipe.read()) await inc.pipe.write(c);
        inc.pipe.finish();
      })();
      return true;
    });
    await settle();
    const d = await h.dial(at(8200));
    if (!d.ok) throw new Error(d.error);
    await h.send(d.id, new TextEncoder().encode("ping"));
    expect(new TextDecoder().decode(await h.recv(d.id, 4, 1000))).toBe("ping");
    h.hangup(d.id);
    expect(await h.dial(at(8201))).toEqual({ ok: false, error: "connection refused: nothing listens on 127.0.0.1:8201 in this playground" });
  });
});
