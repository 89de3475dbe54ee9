/**
 * The virtual network's hub (one per playground page, in the net worker): the authoritative table
 * of bindings and listeners, ephemeral port blocks for nodes, the rendezvous for connections and
 * datagrams between nodes, the relay bridges, and the state the Network panel shows.
 */
import type { BindingKey, HubMsg, NetAddr, NetDenied, NetHubApi, NetSocketView, NetState, NodeMsg, SocketReport } from "../../../protocol/net";
import { RelayLink, bridgeTcp, bridgeUdp, type OpenTransport } from "./relay-link";
import { BindingTable, parseBindingKey } from "./bindings";
import { DgramEnd } from "./dgram";
import { portLink } from "./link";
import { NetNode } from "./node";
import { PipeEnd } from "./pipe";
import { LOOPBACK } from "../address";

/** The ephemeral range (IANA 49152-65535), handed out in blocks, one per node. */
const EPHEMERAL_LO = 49152;
const EPHEMERAL_HI = 65536;
export const EPHEMERAL_BLOCK = 512;

const KEEP_CLOSED = 50;
const KEEP_DENIED = 100;
const PUBLISH_MS = 150;
/** Node id of the hub's own node (the page's client sockets). */
const PAGE_NODE = 0;

interface NodeEntry {
  id: number;
  component: string;
  port: MessagePort;
  block: [number, number];
  bindings: Set<BindingKey>;
  sockets: Map<string, SocketReport>;
  /** Connections with an end in this node: id -> the other node (null: a relay bridge). */
  conns: Map<string, number | null>;
}

export class NetHub implements NetHubApi {
  #nodes = new Map<number, NodeEntry>();
  #bindings = new BindingTable<number>();
  #listening = new Set<BindingKey>();
  #freeBlocks: Array<[number, number]> = [];
  #relayEnds = new Map<string, PipeEnd | DgramEnd>();
  #nextConn = 1;
  #recent: NetSocketView[] = [];
  #denied: NetDenied[] = [];
  #subscribers: Array<(s: NetState) => void> = [];
  #publishTimer: ReturnType<typeof setTimeout> | undefined;
  #relay: RelayLink;
  #page: NetNode;
  #dials = new Map<number, PipeEnd>();
  #nextDial = 1;

  constructor(openTransport: OpenTransport) {
    for (let lo = EPHEMERAL_LO; lo + EPHEMERAL_BLOCK <= EPHEMERAL_HI; lo += EPHEMERAL_BLOCK) this.#freeBlocks.push([lo, lo + EPHEMERAL_BLOCK]);
    this.#relay = new RelayLink(openTransport, () => this.#changed());
    this.#page = this.attachLocal(PAGE_NODE, "page (conformance runner)");
  }

  attach(node: number, component: string, port: MessagePort): void {
    if (this.#nodes.has(node)) this.detach(node);
    const block = this.#freeBlocks.shift() ?? [0, 0];
    const entry: NodeEntry = { id: node, component, port, block, bindings: new Set(), sockets: new Map(), conns: new Map() };
    this.#nodes.set(node, entry);
    port.onmessage = (e: MessageEvent<NodeMsg>) => this.#receive(entry, e.data);
    this.#send(entry, { t: "hello", ephemeral: block, bound: this.#bindings.keys() });
    this.#changed();
  }

  /** A node in this thread, ready at once (its hello is applied before it is returned). */
  attachLocal(node: number, component: string): NetNode {
    const ch = new MessageChannel();
    this.attach(node, component, ch.port1);
    const entry = this.#nodes.get(node)!;
    return new NetNode(ch.port2, component, { ephemeral: entry.block, bound: this.#bindings.keys() });
  }

  /** The run was stopped (its worker terminated): its peers' connections are reset. */
  detach(node: number): void {
    const entry = this.#nodes.get(node);
    if (entry) this.#remove(entry, true);
  }

  /** `abrupt`: the node could not close its connections itself, so tell their other ends. */
  #remove(entry: NodeEntry, abrupt: boolean): void {
    this.#nodes.delete(entry.id);
    entry.port.onmessage = null;
    if (entry.block[1] > 0) this.#freeBlocks.push(entry.block);
    const removed = [...entry.bindings];
    for (const k of removed) {
      this.#bindings.delete(k);
      this.#listening.delete(k);
    }
    this.#broadcast(entry.id, { t: "bindings", add: [], remove: removed });
    const byPeer = new Map<number, string[]>();
    for (const [conn, peer] of entry.conns) {
      if (!abrupt) {
        // Closed with FIN through the connection itself; relay bridges wind down on their own.
        if (peer !== null) this.#nodes.get(peer)?.conns.delete(conn);
        continue;
      }
      if (peer === null) {
        const end = this.#relayEnds.get(conn);
        this.#relayEnds.delete(conn);
        if (end instanceof PipeEnd) end.lost("connection-reset", "the run ended");
        else end?.abort("connection-reset", "the run ended");
        continue;
      }
      this.#nodes.get(peer)?.conns.delete(conn);
      byPeer.set(peer, [...(byPeer.get(peer) ?? []), conn]);
    }
    for (const [peer, conns] of byPeer) {
      const p = this.#nodes.get(peer);
      if (p) this.#send(p, { t: "peer-gone", conns });
    }
    for (const s of entry.sockets.values()) {
      this.#recent.unshift({ ...s, node: entry.id, component: entry.component, state: "closed" });
    }
    this.#recent.length = Math.min(this.#recent.length, KEEP_CLOSED);
    this.#changed();
  }

  setRelay(url: string | null, policy: string[]): void {
    this.#relay.set(url, policy);
    if (url) this.#relay.connection().catch(() => {});
  }

  async reconnect(): Promise<NetState["relay"]> {
    await this.#relay.connection().catch(() => {});
    return this.#relay.status;
  }

  subscribe(onState: (s: NetState) => void): void {
    this.#subscribers.push(onState);
    onState(this.state());
  }

  state(): NetState {
    const sockets: NetSocketView[] = [];
    for (const n of this.#nodes.values()) for (const s of n.sockets.values()) sockets.push({ ...s, node: n.id, component: n.component });
    return { relay: this.#relay.status, sockets: [...sockets, ...this.#recent], denied: [...this.#denied] };
  }

  async dial(to: NetAddr): Promise<{ ok: true; id: number } | { ok: false; error: string }> {
    await this.#page.ready;
    const local = this.#page.bind("tcp", { family: to.family, ip: LOOPBACK[to.family], port: 0 });
    const pipe = await this.#page.connect(local.addr, to);
    if (!pipe) {
      this.#page.release(local);
      return { ok: false, error: `connection refused: nothing listens on ${to.ip}:${to.port} in this playground` };
    }
    const id = this.#nextDial++;
    this.#dials.set(id, pipe);
    pipe.onChange = () => {
      if (pipe.done) this.#page.release(local);
    };
    return { ok: true, id };
  }

  async send(id: number, bytes: Uint8Array): Promise<void> {
    const pipe = this.#dials.get(id);
    if (!pipe) throw new Error(`no dialled connection ${id}`);
    await pipe.write(bytes);
  }

  async recv(id: number, n: number, timeoutMs: number): Promise<Uint8Array> {
    const pipe = this.#dials.get(id);
    if (!pipe) throw new Error(`no dialled connection ${id}`);
    const parts: Uint8Array[] = [];
    let got = 0;
    const deadline = Date.now() + timeoutMs;
    while (got < n) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      const chunk = await Promise.race([pipe.read(), new Promise<"timeout">((r) => setTimeout(() => r("timeout"), left))]);
      if (chunk === "timeout" || chunk === null) break;
      parts.push(chunk);
      got += chunk.length;
    }
    const out = new Uint8Array(got);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  hangup(id: number): void {
    this.#dials.get(id)?.close();
    this.#dials.delete(id);
  }

  #send(n: NodeEntry, m: HubMsg, transfer: Transferable[] = []): void {
    n.port.postMessage(m, transfer);
  }

  #broadcast(except: number, m: HubMsg): void {
    for (const n of this.#nodes.values()) if (n.id !== except) this.#send(n, m);
  }

  #receive(n: NodeEntry, m: NodeMsg): void {
    switch (m.t) {
      case "bind": {
        const { proto, addr } = parseBindingKey(m.key);
        if (this.#bindings.conflicts(proto, addr)) {
          this.#send(n, { t: "bind-lost", key: m.key });
          return;
        }
        this.#bindings.set(m.key, n.id);
        n.bindings.add(m.key);
        this.#broadcast(n.id, { t: "bindings", add: [m.key], remove: [] });
        return;
      }
      case "unbind":
        if (this.#bindings.get(m.key) !== n.id) return;
        this.#bindings.delete(m.key);
        this.#listening.delete(m.key);
        n.bindings.delete(m.key);
        this.#broadcast(n.id, { t: "bindings", add: [], remove: [m.key] });
        return;
      case "listen":
        if (this.#bindings.get(m.key) === n.id) this.#listening.add(m.key);
        return;
      case "connect": {
        const target = this.#bindings.route("tcp", m.to);
        const owner = target ? this.#nodes.get(target.owner) : undefined;
        if (!target || !owner || !this.#listening.has(target.key)) {
          this.#send(n, { t: "refused", id: m.id });
          return;
        }
        const conn = `c${this.#nextConn++}`;
        const ch = new MessageChannel();
        n.conns.set(conn, owner.id);
        owner.conns.set(conn, n.id);
        this.#send(owner, { t: "incoming", key: target.key, conn, from: m.from, to: m.to, port: ch.port1 }, [ch.port1]);
        this.#send(n, { t: "connected", id: m.id, conn, port: ch.port2 }, [ch.port2]);
        return;
      }
      case "relay":
        this.#openRelay(n, m);
        return;
      case "datagram": {
        const target = this.#bindings.route("udp", m.to);
        const owner = target ? this.#nodes.get(target.owner) : undefined;
        if (target && owner) this.#send(owner, { t: "datagram", key: target.key, from: m.from, to: m.to, bytes: m.bytes }, [m.bytes.buffer as ArrayBuffer]);
        return;
      }
      case "report":
        for (const s of m.sockets) n.sockets.set(s.id, s);
        for (const id of m.gone) n.sockets.delete(id);
        this.#changed();
        return;
      case "denied":
        this.#denied.unshift({ ...m.denied, component: n.component, at: Date.now() });
        this.#denied.length = Math.min(this.#denied.length, KEEP_DENIED);
        this.#changed();
        return;
      case "bye":
        this.#remove(n, false);
        return;
      case "ports": {
        const block = this.#freeBlocks.shift() ?? null;
        if (block) {
          if (n.block[1] > 0) this.#freeBlocks.push(n.block);
          n.block = block;
        }
        this.#send(n, { t: "ports", ephemeral: block });
        return;
      }
    }
  }

  #openRelay(n: NodeEntry, m: Extract<NodeMsg, { t: "relay" }>): void {
    const conn = `r${this.#nextConn++}`;
    const ch = new MessageChannel();
    n.conns.set(conn, null);
    this.#send(n, { t: "relay-opened", id: m.id, conn, port: ch.port2 }, [ch.port2]);
    const forget = () => {
      this.#relayEnds.delete(conn);
      n.conns.delete(conn);
    };
    const onAbort = () => this.#relay.aborted();
    if (m.proto === "tcp") {
      const pipe = new PipeEnd(portLink(ch.port1));
      this.#relayEnds.set(conn, pipe);
      this.#relay.connection().then(
        (wisp) => bridgeTcp(pipe, wisp.openStream("tcp", m.host, m.port), onAbort).finally(forget),
        (err: unknown) => {
          pipe.abort("remote-unreachable", err instanceof Error ? err.message : String(err));
          forget();
        },
      );
    } else {
      const end = new DgramEnd(portLink(ch.port1));
      this.#relayEnds.set(conn, end);
      this.#relay.connection().then(
        (wisp) => bridgeUdp(end, wisp.openStream("udp", m.host, m.port), onAbort),
        (err: unknown) => {
          end.abort("remote-unreachable", err instanceof Error ? err.message : String(err));
          forget();
        },
      );
    }
  }

  #changed(): void {
    this.#publishTimer ??= setTimeout(() => {
      this.#publishTimer = undefined;
      const s = this.state();
      for (const f of this.#subscribers) f(s);
    }, PUBLISH_MS);
  }
}

/**
 * A network of one run, for hosts made without the playground's hub (unit tests, benchmarks,
 * inspection): loopback works inside the run, nothing leaves it.
 */
export function privateNode(component: string): NetNode {
  const hub = new NetHub(() => Promise.reject(new Error("this run has no relay (it is not connected to the playground's network)")));
  return hub.attachLocal(1, component);
}
