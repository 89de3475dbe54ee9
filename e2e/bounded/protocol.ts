/** Messages between the bounded-memory page (main.ts) and its node workers (node.worker.ts). */
import type { NetAddr } from "../../src/protocol/net";

export type NodeCommand =
  /** Echo every TCP connection accepted on `addr` (the virtual network's server side). */
  | { t: "serve-echo"; addr: NetAddr }
  /** Send `bytes` to `to` and read as many back: over the virtual network, or through the relay. */
  | { t: "echo-through"; via: "vnet" | "relay"; to: NetAddr; bytes: number };

export type NodeReply = { t: "ready" } | { t: "done"; ms: number; bytesBack: number } | { t: "error"; message: string };
