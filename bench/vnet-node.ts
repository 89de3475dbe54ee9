/**
 * The two ends of the virtual-network benchmark (bench/vnet.ts), each run in a node worker of its
 * own (vnet.worker.ts): an echo server, and a client that pushes bytes through it and reads them
 * back.
 */
import type { NetNode } from "../src/host/sockets/vnet/node";
import type { PipeEnd } from "../src/host/sockets/vnet/pipe";
import type { NetAddr } from "../src/protocol/net";

export const ECHO_ADDR: NetAddr = { family: "ipv4", ip: "127.0.0.1", port: 9000 };
const CHUNK = 64 * 1024;
/** Buffers the owning client starts with: more than a window (1 MiB) of them, so it never waits for one. */
const OWNED_BUFFERS = 32;

/** How the client writes: `owned` hands over buffers it read back (transferred), `copying` one reused chunk (copied per write). */
export type WriteMode = "owned" | "copying";

export function serveEcho(node: NetNode): void {
  node.listen(node.bind("tcp", ECHO_ADDR), 4, (inc) => {
    void (async () => {
      const pipe = inc.pipe;
      for (let c = await pipe.read(); c; c = await pipe.read()) await pipe.write(c, true);
      pipe.close();
    })();
    return true;
  });
}

async function connect(node: NetNode, local: NetAddr): Promise<PipeEnd> {
  for (let tries = 0; tries < 100; tries++) {
    const pipe = await node.connect(local, ECHO_ADDR);
    if (pipe) return pipe;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`nobody listens on ${ECHO_ADDR.ip}:${ECHO_ADDR.port}`);
}

/** Sends `total` bytes through the echo and reads them back; returns the milliseconds it took. */
export async function echoThrough(node: NetNode, total: number, mode: WriteMode): Promise<number> {
  const local = node.bind("tcp", { ...ECHO_ADDR, port: 0 });
  const pipe = await connect(node, local.addr);
  const chunk = new Uint8Array(CHUNK).fill(1);
  // What came back is the client's own again: the owning writer sends it out once more.
  const free: Uint8Array[] = [];
  let fresh = OWNED_BUFFERS;
  let wake: (() => void) | undefined;
  const t0 = performance.now();
  let back = 0;
  const reading = (async () => {
    while (back < total) {
      const c = await pipe.read();
      if (!c) throw new Error(`the echo ended after ${back} of ${total} bytes`);
      back += c.length;
      if (mode === "owned") free.push(c);
      wake?.();
      wake = undefined;
    }
  })();
  for (let at = 0; at < total; at += CHUNK) {
    if (mode === "copying") {
      await pipe.write(chunk);
      continue;
    }
    let c = free.pop() ?? (fresh > 0 ? (fresh--, new Uint8Array(CHUNK).fill(1)) : undefined);
    while (!c) {
      await new Promise<void>((r) => (wake = r));
      c = free.pop();
    }
    await pipe.write(c, true);
  }
  await reading;
  const ms = performance.now() - t0;
  pipe.close();
  node.release(local);
  return ms;
}
