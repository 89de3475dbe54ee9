/**
 * One run's network node for the bounded-memory page: a server that echoes, or a client that
 * pushes N bytes through an echo and reads them back, straight on the host's PipeEnds (no guest,
 * so the host's own buffers are what the page measures).
 */
import { NetNode } from "../../src/host/sockets/vnet/node";
import type { PipeEnd } from "../../src/host/sockets/vnet/pipe";
import type { NetAddr } from "../../src/protocol/net";
import type { NodeCommand, NodeReply } from "./protocol";

const CHUNK = 64 * 1024;
let node: NetNode | null = null;
const reply = (r: NodeReply) => postMessage(r);

async function echo(pipe: PipeEnd): Promise<void> {
  for (let c = await pipe.read(); c; c = await pipe.read()) await pipe.write(c, true);
  pipe.close();
}

/** Connects once the server's binding has reached this node (the hub tells every node). */
async function connect(n: NetNode, local: NetAddr, to: NetAddr): Promise<PipeEnd> {
  for (let tries = 0; tries < 100; tries++) {
    const pipe = await n.connect(local, to);
    if (pipe) return pipe;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`nobody listens on ${to.ip}:${to.port}`);
}

async function echoThrough(n: NetNode, cmd: Extract<NodeCommand, { t: "echo-through" }>): Promise<void> {
  const local = n.bind("tcp", { family: "ipv4", ip: "127.0.0.1", port: 0 }).addr;
  const pipe = cmd.via === "vnet" ? await connect(n, local, cmd.to) : await n.relayTcp(cmd.to.ip, cmd.to.port, local);
  await pipe.established;
  const t0 = performance.now();
  const chunk = new Uint8Array(CHUNK).fill(0x5a);
  const sending = (async () => {
    for (let at = 0; at < cmd.bytes; at += CHUNK) await pipe.write(chunk);
  })();
  let back = 0;
  while (back < cmd.bytes) {
    const c = await pipe.read();
    if (!c) break;
    back += c.length;
  }
  await sending;
  const ms = performance.now() - t0;
  pipe.close();
  reply({ t: "done", ms, bytesBack: back });
}

onmessage = (e: MessageEvent<NodeCommand | { t: "port"; name: string }>) => {
  const m = e.data;
  if (m.t === "port") {
    node = new NetNode(e.ports[0]!, m.name);
    void node.ready.then(() => reply({ t: "ready" }));
    return;
  }
  const n = node!;
  void (async () => {
    if (m.t === "serve-echo") {
      n.listen(n.bind("tcp", m.addr), 16, (inc) => {
        void echo(inc.pipe);
        return true;
      });
      reply({ t: "ready" });
    } else await echoThrough(n, m);
  })().catch((err: unknown) => reply({ t: "error", message: err instanceof Error ? err.message : String(err) }));
};
