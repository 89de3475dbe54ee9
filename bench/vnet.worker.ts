/** One run node of the virtual-network benchmark (bench/vnet.ts): the echo server or the client. */
import { NetNode } from "../src/host/sockets/vnet/node";
import { echoThrough, serveEcho, type WriteMode } from "./vnet-node";

export type VnetNodeMsg = { t: "start"; name: string; serve: boolean } | { t: "echo"; total: number; mode: WriteMode };

let node: NetNode | undefined;
onmessage = async (e: MessageEvent<VnetNodeMsg>) => {
  const m = e.data;
  if (m.t === "start") {
    node = new NetNode(e.ports[0]!, m.name);
    await node.ready;
    if (m.serve) serveEcho(node);
    postMessage({ ms: 0 });
  } else postMessage({ ms: await echoThrough(node!, m.total, m.mode) });
};
