/**
 * Owns the net worker (the playground's virtual network hub and its relay connection). Each run
 * gets a node: a MessageChannel whose one end goes to the hub and the other, with the run, to the
 * runtime worker. The Network panel and the conformance runner reach the hub through here.
 */
import { proxy, transfer, wrap, type Remote } from "comlink";
import type { NetHubApi, NetState, RelayStatus } from "../protocol/net";
import type { RunNetwork } from "../protocol/runtime";

/** What the app server says about its relay (`GET /api/relay`). */
export interface RelayInfo {
  url: string;
  policy: string[];
}

export class NetClient {
  #worker: Worker;
  readonly api: Remote<NetHubApi>;
  #nextNode = 1;

  constructor(spawn: () => Worker = spawnNetWorker) {
    this.#worker = spawn();
    this.api = wrap<NetHubApi>(this.#worker);
  }

  /** A new node for a run named `component`; pass the result with the run (it is transferred). */
  join(component: string): RunNetwork {
    const node = this.#nextNode++;
    const ch = new MessageChannel();
    void this.api.attach(node, component, transfer(ch.port1, [ch.port1]));
    return { node, port: ch.port2 };
  }

  /** The run's worker was terminated: the hub frees its ports and resets its peers. */
  leave(node: number): void {
    void this.api.detach(node);
  }

  /** Calls `onState` with the network's state as it changes; returns the unsubscribe. */
  subscribe(onState: (s: NetState) => void): () => void {
    let live = true;
    void this.api.subscribe(
      proxy((s: NetState) => {
        if (live) onState(s);
      }),
    );
    return () => {
      live = false;
    };
  }

  setRelay(url: string | null, policy: string[] = []): Promise<void> {
    return this.api.setRelay(url, policy);
  }

  reconnect(): Promise<RelayStatus> {
    return this.api.reconnect();
  }

  /** The relay the app server started, if it has one. */
  static async defaultRelay(): Promise<RelayInfo | null> {
    try {
      const r = await fetch("api/relay");
      if (!r.ok) return null;
      return (await r.json()) as RelayInfo;
    } catch {
      return null;
    }
  }

  dispose(): void {
    this.#worker.terminate();
  }
}

export function spawnNetWorker(): Worker {
  return new Worker(new URL("../../workers/net.worker.ts", import.meta.url), { type: "module", name: "net" });
}
