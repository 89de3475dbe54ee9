/**
 * Bounded-memory fixture page (e2e/bounded-memory.spec.ts): the playground's hub in a SharedWorker
 * (hub.worker.ts) and two run nodes in dedicated workers (node.worker.ts), wired as the app wires
 * them. `window.bounded.echo` moves N bytes through an echo, over the virtual network (node to
 * node) or through the Wisp relay to a TCP echo server; the spec samples every heap meanwhile.
 */
import type { NetAddr } from "../../src/protocol/net";
import type { NodeCommand, NodeReply } from "./protocol";

declare global {
  interface Window {
    bounded?: { echo(via: "vnet" | "relay", to: NetAddr, bytes: number): Promise<{ ms: number; bytesBack: number }> };
  }
}

const out = document.getElementById("out")!;

/** The next reply of `worker` that is not `ready`, or the first `ready` when `ready` is asked. */
function answer(worker: Worker, want: NodeReply["t"]): Promise<NodeReply> {
  return new Promise((resolve, reject) => {
    worker.addEventListener("message", function on(e: MessageEvent<NodeReply>) {
      if (e.data.t !== want && e.data.t !== "error") return;
      worker.removeEventListener("message", on);
      if (e.data.t === "error") reject(new Error(e.data.message));
      else resolve(e.data);
    });
  });
}

const hub = new SharedWorker(new URL("./hub.worker.ts", import.meta.url), { type: "module", name: "bounded-hub" });
const relay = (await (await fetch("/api/relay")).json()) as { url: string };
hub.port.postMessage({ t: "relay", url: relay.url });

async function startNode(id: number, name: string): Promise<Worker> {
  const worker = new Worker(new URL("./node.worker.ts", import.meta.url), { type: "module", name });
  const ch = new MessageChannel();
  hub.port.postMessage({ t: "attach", node: id, name }, [ch.port1]);
  const ready = answer(worker, "ready");
  worker.postMessage({ t: "port", name }, [ch.port2]);
  await ready;
  return worker;
}

const server = await startNode(1, "echo-server");
const client = await startNode(2, "client");
const serverReady = answer(server, "ready");
server.postMessage({ t: "serve-echo", addr: { family: "ipv4", ip: "127.0.0.1", port: 9000 } } satisfies NodeCommand);
await serverReady;

window.bounded = {
  async echo(via, to, bytes) {
    const done = answer(client, "done");
    client.postMessage({ t: "echo-through", via, to, bytes } satisfies NodeCommand);
    const r = (await done) as Extract<NodeReply, { t: "done" }>;
    out.textContent = `${via}: ${r.bytesBack} bytes back in ${r.ms.toFixed(0)} ms`;
    return { ms: r.ms, bytesBack: r.bytesBack };
  },
};
out.textContent = "ready";
