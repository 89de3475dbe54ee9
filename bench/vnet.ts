/**
 * `vnet_throughput_64mib`: 64 MiB echoed between two run nodes of the virtual network, each in a
 * dedicated worker of its own as two runs are, with the hub on this page (connections between
 * nodes do not pass through it: the hub hands both ends a MessageChannel). The client writes
 * buffers it owns (what it read back), so every chunk is transferred, never copied;
 * `copying_writes` writes one reused chunk instead, which the pipe copies into a fresh buffer per
 * write. Time from the first write until the last byte is back; both directions carry 64 MiB.
 */
import { NetHub } from "../src/host/sockets/vnet/hub";
import { median } from "./measure";
import type { WriteMode } from "./vnet-node";
import type { VnetNodeMsg } from "./vnet.worker";

const MiB = 1024 * 1024;
const TOTAL = 64 * MiB;

function ask(worker: Worker, msg: VnetNodeMsg, transfer: Transferable[] = []): Promise<number> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<{ ms: number }>) => resolve(e.data.ms);
    worker.onerror = (e) => reject(new Error(`a vnet bench worker failed: ${e.message}`));
    worker.postMessage(msg, transfer);
  });
}

async function startNode(hub: NetHub, id: number, serve: boolean): Promise<Worker> {
  const worker = new Worker(new URL("./vnet.worker.ts", import.meta.url), { type: "module", name: `vnet-node-${id}` });
  const ch = new MessageChannel();
  hub.attach(id, `node ${id}`, ch.port1);
  await ask(worker, { t: "start", name: `node ${id}`, serve }, [ch.port2]);
  return worker;
}

export async function vnetBenchmarks(reps: number, log: (line: string) => void) {
  const hub = new NetHub(() => Promise.reject(new Error("no relay in this benchmark")));
  const server = await startNode(hub, 1, true);
  const client = await startNode(hub, 2, false);
  try {
    const run = (mode: WriteMode) => ask(client, { t: "echo", total: TOTAL, mode });
    await run("owned"); // warm-up: JIT, the first buffers
    const owned: number[] = [];
    const copying: number[] = [];
    for (let i = 0; i < reps; i++) {
      owned.push(await run("owned"));
      copying.push(await run("copying"));
    }
    const mbps = (ms: number) => `${(TOTAL / MiB / (ms / 1000)).toFixed(0)} MiB/s (${(TOTAL / 1e6 / (ms / 1000)).toFixed(0)} MB/s)`;
    log(`vnet_throughput_64mib: ${mbps(median(owned))} each way between two workers, owned writes; ${mbps(median(copying))} copying writes`);
    return { vnet_throughput_64mib: { ours: median(owned), copying_writes: median(copying), samples: reps } };
  } finally {
    server.terminate();
    client.terminate();
    hub.detach(1);
    hub.detach(2);
  }
}
