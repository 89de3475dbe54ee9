/**
 * The virtual network's messages (see src/host/sockets/README.md): between each run's network
 * node and the net worker's hub, on each connection's own MessagePort, and the hub's API for the
 * page (Network panel, conformance runner).
 */

export type NetFamily = "ipv4" | "ipv6";
export type NetProto = "tcp" | "udp";

export interface NetAddr {
  family: NetFamily;
  /** Canonical text (RFC 5952 for IPv6). */
  ip: string;
  port: number;
}

/** Error codes a connection can end with (wasi:sockets names). */
export type NetErrorCode =
  | "access-denied"
  | "connection-refused"
  | "connection-reset"
  | "connection-aborted"
  | "connection-broken"
  | "remote-unreachable"
  | "timeout";

/** One TCP connection (or relayed UDP flow) on its own port; both ends speak this. */
export type PipeMsg =
  | { t: "data"; bytes: Uint8Array }
  /** The receiver took `n` more bytes: the sender may send that much more. */
  | { t: "credit"; n: number }
  /** The sender will send no more (shutdown(SHUT_WR)). */
  | { t: "fin" }
  /** The receiver dropped its read half (shutdown(SHUT_RD)): further sends fail. */
  | { t: "rd-closed" }
  /** Relayed connections: the relay did not refuse the destination. */
  | { t: "up" }
  | { t: "reset"; code: NetErrorCode; detail: string };

/** Key of a binding: `proto/family/ip/port`. */
export type BindingKey = string;

/** Run node -> hub. */
export type NodeMsg =
  | { t: "bind"; key: BindingKey }
  | { t: "unbind"; key: BindingKey }
  | { t: "listen"; key: BindingKey; backlog: number }
  /** TCP connect to a listener in another node. */
  | { t: "connect"; id: number; from: NetAddr; to: NetAddr }
  /** Open a stream through the relay (host: a name or an IP literal). */
  | { t: "relay"; id: number; proto: NetProto; host: string; port: number; local: NetAddr }
  /** A UDP datagram for a socket in another node. */
  | { t: "datagram"; from: NetAddr; to: NetAddr; bytes: Uint8Array }
  | { t: "report"; sockets: SocketReport[]; gone: string[] }
  | { t: "denied"; denied: Omit<NetDenied, "component" | "at"> }
  /** More ephemeral ports, please. */
  | { t: "ports" }
  /** The run ended and closed its sockets (FIN on each connection): forget this node. */
  | { t: "bye" };

/** Hub -> run node. */
export type HubMsg =
  | { t: "hello"; ephemeral: [number, number]; bound: BindingKey[] }
  | { t: "bindings"; add: BindingKey[]; remove: BindingKey[] }
  | { t: "ports"; ephemeral: [number, number] | null }
  /** Another node got the binding first (both bound it within one message round trip). */
  | { t: "bind-lost"; key: BindingKey }
  | { t: "incoming"; key: BindingKey; conn: string; from: NetAddr; to: NetAddr; port: MessagePort }
  | { t: "connected"; id: number; conn: string; port: MessagePort }
  | { t: "refused"; id: number }
  | { t: "relay-opened"; id: number; conn: string; port: MessagePort }
  | { t: "datagram"; key: BindingKey; from: NetAddr; to: NetAddr; bytes: Uint8Array }
  /** The other end's run ended (or was stopped): these connections are gone. */
  | { t: "peer-gone"; conns: string[] };

export type SocketState = "bound" | "listening" | "connecting" | "connected" | "closed";

/** What a node tells the hub about one of its sockets, for the Network panel. */
export interface SocketReport {
  id: string;
  proto: NetProto;
  state: SocketState;
  /** `virtual`: inside the playground; `relay`: through the Wisp relay. */
  via: "virtual" | "relay" | null;
  local: string | null;
  remote: string | null;
  bytesIn: number;
  bytesOut: number;
  error: string | null;
}

export interface NetSocketView extends SocketReport {
  node: number;
  component: string;
}

export interface NetDenied {
  at: number;
  component: string;
  proto: NetProto;
  target: string;
  reason: string;
}

export type RelayState = "none" | "idle" | "connecting" | "open" | "lost" | "unreachable";

export interface RelayStatus {
  url: string | null;
  state: RelayState;
  /** Why it is lost or unreachable, or the server's greeting. */
  detail: string | null;
  version: number | null;
  streams: number;
  /** Lines describing the relay's policy, as its server reported them. */
  policy: string[];
  /** Streams cut when the relay was lost, since it last came back. */
  aborted: number;
}

export interface NetState {
  relay: RelayStatus;
  sockets: NetSocketView[];
  denied: NetDenied[];
}

/** The net worker's API (comlink), used by src/client/NetClient.ts. */
export interface NetHubApi {
  /** A run's node: `port` is the hub's end of the node's control channel. */
  attach(node: number, component: string, port: MessagePort): void;
  /** The run's worker was terminated (Stop): free its ports, reset its peers' connections. */
  detach(node: number): void;
  setRelay(url: string | null, policy: string[]): void;
  /** Connects to the relay now (the panel's Reconnect); resolves with the status after. */
  reconnect(): Promise<RelayStatus>;
  subscribe(onState: (s: NetState) => void): void;
  /** The page's own TCP client on the virtual network (the conformance runner's `connect`). */
  dial(to: NetAddr): Promise<{ ok: true; id: number } | { ok: false; error: string }>;
  send(id: number, bytes: Uint8Array): Promise<void>;
  /** Reads until `n` bytes arrived, the peer closed, or `timeoutMs` passed. */
  recv(id: number, n: number, timeoutMs: number): Promise<Uint8Array>;
  hangup(id: number): void;
}
