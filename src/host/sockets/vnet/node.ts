/**
 * A run's presence on the virtual network. The whole playground is one host: every component's
 * loopback (127.0.0.0/8, ::1) is the same, bindings are playground-wide, and a run talks to the
 * hub (net worker) over one control port.
 *
 * bind is synchronous in WIT, so a node decides it alone: ephemeral ports come from a block the hub
 * gave this node, explicit ports are checked against this node's bindings and the hub's replica of
 * everyone else's. If two nodes bind the same port within one message round trip the hub keeps the
 * first and tells the other (`bind-lost`). Connections inside one node use in-memory links; across
 * nodes the hub hands both ends a MessageChannel and data flows worker to worker.
 */
import type { BindingKey, HubMsg, NetAddr, NetDenied, NetProto, NodeMsg, SocketReport } from "../../../protocol/net";
import { SocketError } from "../errors";
import { BindingTable, bindingKey } from "./bindings";
import { DgramEnd } from "./dgram";
import { localLinkPair, portLink } from "./link";
import { PipeEnd } from "./pipe";

export interface Incoming {
  pipe: PipeEnd;
  /** The connecting socket's address. */
  remote: NetAddr;
  /** The address it connected to (the listener's, made specific if it was unspecified). */
  local: NetAddr;
}

export interface Binding {
  key: BindingKey;
  proto: NetProto;
  addr: NetAddr;
  /** Set by listen: returns false when the accept queue is full. */
  accept?: (inc: Incoming) => boolean;
  /** Set for UDP sockets: a datagram arrived. */
  deliver?: (from: NetAddr, to: NetAddr, bytes: Uint8Array) => void;
  /** Another node won a race for this binding. */
  onLost?: () => void;
  lost: boolean;
}

/** How often socket reports go to the hub (the Network panel's refresh). */
const REPORT_MS = 200;

export class NetNode {
  #port: MessagePort;
  #ready: Promise<void>;
  #hello!: () => void;
  #ephemeral: [number, number] = [0, 0];
  #next = 0;
  #mine = new BindingTable<Binding>();
  #others = new BindingTable();
  #nextId = 1;
  #pending = new Map<number, (m: HubMsg) => void>();
  /** Cross-node and relayed connections by the hub's id, to fail them when the peer goes. */
  #conns = new Map<string, PipeEnd | DgramEnd>();
  #reports = new Map<string, SocketReport>();
  #gone = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  /** `known`: the hello's content when the hub is in this thread (the node is ready at once). */
  constructor(
    port: MessagePort,
    readonly component: string,
    known?: { ephemeral: [number, number]; bound: BindingKey[] },
  ) {
    this.#port = port;
    this.#ready = new Promise((r) => (this.#hello = r));
    if (known) this.#receive({ t: "hello", ...known });
    port.onmessage = (e: MessageEvent<HubMsg>) => {
      if (e.data.t === "hello" && known) return;
      this.#receive(e.data);
    };
  }

  /** Resolves once the hub has answered (ephemeral ports and current bindings known). */
  get ready(): Promise<void> {
    return this.#ready;
  }

  #post(m: NodeMsg): void {
    if (this.#closed) return;
    if (m.t === "datagram") this.#port.postMessage(m, [m.bytes.buffer as ArrayBuffer]);
    else this.#port.postMessage(m);
  }

  /** Takes `addr` (port 0: an ephemeral port) for `proto`. Throws address-in-use. */
  bind(proto: NetProto, addr: NetAddr): Binding {
    let chosen: NetAddr | undefined;
    if (addr.port === 0) {
      const [lo, hi] = this.#ephemeral;
      for (let i = 0; i < hi - lo && !chosen; i++) {
        const port = lo + ((this.#next + i) % (hi - lo));
        const candidate = { ...addr, port };
        if (!this.#clashes(proto, candidate)) {
          chosen = candidate;
          this.#next = (this.#next + i + 1) % (hi - lo);
        }
      }
      if (!chosen) throw new SocketError("address-in-use", `no ephemeral ${proto} port is free in ${lo}-${hi - 1}`);
    } else {
      if (this.#clashes(proto, addr)) throw new SocketError("address-in-use", `${proto} port ${addr.port} on ${addr.ip} is in use in this playground`);
      chosen = addr;
    }
    const b: Binding = { key: bindingKey(proto, chosen), proto, addr: chosen, lost: false };
    this.#mine.set(b.key, b);
    this.#post({ t: "bind", key: b.key });
    return b;
  }

  #clashes(proto: NetProto, addr: NetAddr): boolean {
    return this.#mine.conflicts(proto, addr) || this.#others.conflicts(proto, addr);
  }

  release(b: Binding): void {
    if (b.lost || this.#mine.get(b.key) !== b) return;
    this.#mine.delete(b.key);
    this.#post({ t: "unbind", key: b.key });
  }

  listen(b: Binding, backlog: number, accept: (inc: Incoming) => boolean): void {
    b.accept = accept;
    this.#post({ t: "listen", key: b.key, backlog });
  }

  /**
   * TCP connect to a listener on the virtual network; null when nobody listens there (the caller
   * decides between connection-refused and the relay).
   */
  async connect(from: NetAddr, to: NetAddr): Promise<PipeEnd | null> {
    const here = this.#mine.route("tcp", to);
    if (here) {
      if (!here.owner.accept) return null;
      const [a, b] = localLinkPair();
      const client = new PipeEnd(a);
      if (!here.owner.accept({ pipe: new PipeEnd(b), remote: from, local: to })) return null;
      return client;
    }
    if (!this.#others.route("tcp", to)) return null;
    const id = this.#nextId++;
    const answer = await this.#ask(id, { t: "connect", id, from, to });
    if (answer.t !== "connected") return null;
    const pipe = new PipeEnd(portLink(answer.port));
    this.#conns.set(answer.conn, pipe);
    return pipe;
  }

  /** Opens a TCP stream through the relay; `established` settles once the relay accepted it. */
  async relayTcp(host: string, port: number, local: NetAddr): Promise<PipeEnd> {
    const m = await this.#relay("tcp", host, port, local);
    const pipe = new PipeEnd(portLink(m.port), { relayed: true });
    this.#conns.set(m.conn, pipe);
    return pipe;
  }

  async relayUdp(host: string, port: number, local: NetAddr): Promise<DgramEnd> {
    const m = await this.#relay("udp", host, port, local);
    const end = new DgramEnd(portLink(m.port));
    this.#conns.set(m.conn, end);
    return end;
  }

  async #relay(proto: NetProto, host: string, port: number, local: NetAddr): Promise<Extract<HubMsg, { t: "relay-opened" }>> {
    const id = this.#nextId++;
    return (await this.#ask(id, { t: "relay", id, proto, host, port, local })) as Extract<HubMsg, { t: "relay-opened" }>;
  }

  /** A UDP datagram to a socket on the virtual network; dropped when nobody is bound there. */
  sendDatagram(from: NetAddr, to: NetAddr, bytes: Uint8Array): void {
    const here = this.#mine.route("udp", to);
    if (here) {
      const copy = bytes.slice();
      queueMicrotask(() => here.owner.deliver?.(from, to, copy));
    } else if (this.#others.route("udp", to)) {
      this.#post({ t: "datagram", from, to, bytes: bytes.slice() });
    }
  }

  /** Whether anything on the virtual network is bound to receive at `to`. */
  isBound(proto: NetProto, to: NetAddr): boolean {
    return this.#mine.route(proto, to) !== null || this.#others.route(proto, to) !== null;
  }

  #ask(id: number, m: NodeMsg): Promise<HubMsg> {
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.#post(m);
    });
  }

  /** What the Network panel shows of one socket; sent in batches. */
  report(r: SocketReport): void {
    this.#reports.set(r.id, r);
    this.#gone.delete(r.id);
    this.#schedule();
  }

  forget(id: string): void {
    if (this.#reports.delete(id)) this.#gone.add(id);
    this.#schedule();
  }

  denied(d: Omit<NetDenied, "component" | "at">): void {
    this.#post({ t: "denied", denied: d });
  }

  #schedule(): void {
    this.#timer ??= setTimeout(() => this.flush(), REPORT_MS);
  }

  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#reports.size === 0 && this.#gone.size === 0) return;
    this.#post({ t: "report", sockets: [...this.#reports.values()], gone: [...this.#gone] });
    this.#reports.clear();
    this.#gone.clear();
  }

  /** The run is over and its sockets are closed: last reports out, then goodbye. */
  close(): void {
    if (this.#closed) return;
    this.flush();
    this.#post({ t: "bye" });
    this.#closed = true;
    this.#port.onmessage = null;
  }

  #receive(m: HubMsg): void {
    switch (m.t) {
      case "hello":
        this.#ephemeral = m.ephemeral;
        for (const k of m.bound) this.#others.set(k, true);
        this.#hello();
        break;
      case "bindings":
        for (const k of m.add) this.#others.set(k, true);
        for (const k of m.remove) this.#others.delete(k);
        break;
      case "ports":
        if (m.ephemeral) this.#ephemeral = m.ephemeral;
        break;
      case "bind-lost": {
        const b = this.#mine.get(m.key);
        if (!b) break;
        this.#mine.delete(m.key);
        b.lost = true;
        b.onLost?.();
        break;
      }
      case "incoming": {
        const pipe = new PipeEnd(portLink(m.port));
        this.#conns.set(m.conn, pipe);
        const b = this.#mine.get(m.key);
        if (!b?.accept || !b.accept({ pipe, remote: m.from, local: m.to })) pipe.abort("connection-refused", "the listener's accept queue is full or it stopped listening");
        break;
      }
      case "connected":
      case "refused":
      case "relay-opened": {
        const resolve = this.#pending.get(m.id);
        this.#pending.delete(m.id);
        resolve?.(m);
        break;
      }
      case "datagram":
        this.#mine.get(m.key)?.deliver?.(m.from, m.to, m.bytes);
        break;
      case "peer-gone":
        for (const c of m.conns) {
          const end = this.#conns.get(c);
          this.#conns.delete(c);
          if (end instanceof PipeEnd) end.lost("connection-reset", "the other end's run ended");
          else end?.abort("connection-reset", "the other end's run ended");
        }
        break;
    }
  }
}
