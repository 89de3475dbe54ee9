/** wasi:sockets as the host serves it: 0.2 and 0.3 over one SocketsCtx; 0.2 waits are io pollables. */
import type { IoP2 } from "../io/p2";
import { interfacesAt, wasiPackage } from "../package";
import type { SocketsCtx } from "./ctx";
import { socketsP2 } from "./p2";
import { socketsP3 } from "./p3";

export const socketsPackage = wasiPackage({
  interfaces: [
    ...interfacesAt("wasi:sockets", "0.2.12", ["network", "instance-network", "tcp", "tcp-create-socket", "udp", "udp-create-socket", "ip-name-lookup"]),
    ...interfacesAt("wasi:sockets", "0.3.0", ["types", "ip-name-lookup"]),
  ],
  suspending: {},
  serve: (run: { sockets: SocketsCtx; io: IoP2 }) => ({ ...socketsP2(run.sockets, run.io), ...socketsP3(run.sockets) }),
});
