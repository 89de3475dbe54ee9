import { describe, expect, it } from "vitest";
import { localLinkPair, portLink, type Link } from "./link";
import { DEFAULT_WINDOW, MAX_CHUNK, PipeEnd, PipeError } from "./pipe";

const links: Record<string, () => [Link, Link]> = {
  "in-memory": localLinkPair,
  MessageChannel: () => {
    const ch = new MessageChannel();
    return [portLink(ch.port1), portLink(ch.port2)];
  },
};

const tick = () => new Promise((r) => setTimeout(r, 10));

async function readAll(p: PipeEnd): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (let c = await p.read(); c; c = await p.read()) parts.push(c);
  const out = new Uint8Array(parts.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of parts) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

for (const [name, pair] of Object.entries(links)) {
  describe(`PipeEnd over ${name}`, () => {
    const make = () => {
      const [a, b] = pair();
      return [new PipeEnd(a), new PipeEnd(b)] as const;
    };

    it("carries bytes in order and ends with FIN", async () => {
      const [a, b] = make();
      const data = new Uint8Array(1024 * 1024).map((_, i) => i % 251);
      const got = readAll(b);
      await a.write(data);
      a.finish();
      const back = await got;
      expect(back.length).toBe(data.length);
      expect(back.every((v, i) => v === data[i])).toBe(true);
      expect(b.stats.bytesIn).toBe(data.length);
    });

    it("stops the sender at the window until the reader takes data", async () => {
      const [a, b] = make();
      let sent = false;
      const w = a.write(new Uint8Array(DEFAULT_WINDOW + 1)).then(() => (sent = true));
      await tick();
      expect(sent).toBe(false);
      expect(a.stats.bytesOut).toBe(DEFAULT_WINDOW);
      expect(a.writable()).toBe(false);
      await b.read();
      await w;
      expect(a.stats.bytesOut).toBe(DEFAULT_WINDOW + 1);
    });

    it("hands an owned buffer over, a view past a header included, and copies anything else", async () => {
      const [a, b] = make();
      const owned = new Uint8Array([1, 2, 3]);
      const kept = new Uint8Array([4, 5, 6]);
      // A received packet's payload: its buffer starts with a header the view leaves out.
      const payload = new Uint8Array([0, 7, 8, 9]).subarray(1);
      await a.write(owned, true);
      await a.write(kept);
      await a.write(payload, true);
      expect(await b.read()).toEqual(new Uint8Array([1, 2, 3]));
      expect(await b.read()).toEqual(new Uint8Array([4, 5, 6]));
      expect(await b.read()).toEqual(new Uint8Array([7, 8, 9]));
      expect(kept).toEqual(new Uint8Array([4, 5, 6]));
      // Between workers the buffer is transferred (the writer's view detaches); in one worker it is shared.
      expect(owned.length).toBe(name === "MessageChannel" ? 0 : 3);
      expect(payload.length).toBe(name === "MessageChannel" ? 0 : 3);
    });

    it("grants credit a quarter window at a time, even to a reader that has caught up", async () => {
      const [la, lb] = pair();
      const credits: number[] = [];
      const post = lb.post.bind(lb);
      lb.post = (m) => {
        if (m.t === "credit") credits.push(m.n);
        post(m);
      };
      const a = new PipeEnd(la);
      const b = new PipeEnd(lb);
      const chunk = DEFAULT_WINDOW / 16;
      // Each chunk is read before the next is written: the reader is always caught up.
      for (let i = 0; i < 8; i++) {
        await a.write(new Uint8Array(chunk));
        expect((await b.read())!.length).toBe(chunk);
      }
      await tick();
      expect(credits).toEqual([DEFAULT_WINDOW / 4, DEFAULT_WINDOW / 4]);
      // Three windows through a reader that keeps up: credit keeps coming back.
      const reading = readAll(b);
      await a.write(new Uint8Array(3 * DEFAULT_WINDOW));
      a.finish();
      expect((await reading).length).toBe(3 * DEFAULT_WINDOW);
    });

    it("copies the parts of an owned write that is split", async () => {
      const [a, b] = make();
      const big = new Uint8Array(MAX_CHUNK + 1).fill(5);
      await a.write(big, true);
      expect((await b.read())!.length).toBe(MAX_CHUNK);
      expect((await b.read())!.length).toBe(1);
      expect(big.length).toBe(MAX_CHUNK + 1);
    });

    it("keeps the other direction open after one side finishes", async () => {
      const [a, b] = make();
      a.finish();
      expect(await b.read()).toBeNull();
      await b.write(new Uint8Array([7]));
      expect(await a.read()).toEqual(new Uint8Array([7]));
      await expect(a.write(new Uint8Array([1]))).rejects.toMatchObject({ code: "connection-broken" });
    });

    it("fails the peer's sends once the reader dropped its read half", async () => {
      const [a, b] = make();
      await a.write(new Uint8Array([1]));
      await tick();
      b.closeRead();
      await tick();
      await expect(a.write(new Uint8Array([2]))).rejects.toBeInstanceOf(PipeError);
      expect(await b.read()).toBeNull();
    });

    it("delivers a reset to a waiting reader", async () => {
      const [a, b] = make();
      const r = b.read();
      a.abort("connection-aborted", "the relay was lost");
      await expect(r).rejects.toMatchObject({ code: "connection-aborted", detail: "the relay was lost" });
      await expect(a.write(new Uint8Array([1]))).rejects.toMatchObject({ code: "connection-aborted" });
    });
  });
}

describe("PipeEnd, in one worker", () => {
  it("knows of a dropped read half before the peer's next task", async () => {
    const [x, y] = localLinkPair();
    const a = new PipeEnd(x);
    const b = new PipeEnd(y);
    b.closeRead();
    await Promise.resolve();
    await Promise.resolve();
    expect(() => a.tryWrite(new Uint8Array([1]))).toThrow(/shut down its receive side/);
  });
});
