/**
 * The HTTP client's connections as TCP sockets of the run (`sockets/tcp.ts`): a host name
 * resolves as ip-name-lookup resolves it, loopback reaches components serving in the playground,
 * anything else goes through the Wisp relay if the run's allow-list has it. So every request shows
 * in the Network panel, and a refused destination is refused exactly as a socket's connect is.
 * `https://` runs TLS in the page over that connection (`tls.ts`), checked against `trust`.
 */
import type { SocketsCtx } from "../sockets/ctx";
import { TcpCore } from "../sockets/tcp";
import type { Conn, Connector } from "./conn";
import { HttpError } from "./errors";
import { tlsConnect, type TrustStore } from "./tls";

/** A host without the brackets of an IPv6 literal. */
const bare = (host: string) => (host.startsWith("[") ? host.slice(1, -1) : host);

export function socketConnector(sockets: SocketsCtx, trust: TrustStore): Connector {
  return {
    async connect(host, port, tls) {
      const tcp = await tcpConnect(sockets, host, port);
      return tls ? tlsConnect(tcp, bare(host), trust) : tcp;
    },
  };
}

async function tcpConnect(sockets: SocketsCtx, host: string, port: number): Promise<Conn> {
  const name = bare(host);
  const addrs = sockets.resolve(name);
  const addr = addrs.find((a) => a.family === "ipv4") ?? addrs[0]!;
  const core = new TcpCore(sockets, addr.family);
  try {
    await core.startConnect({ family: addr.family, ip: addr.ip, port });
  } catch (err) {
    core.close();
    throw err;
  }
  const st = core.state;
  if (st.s !== "connected") throw new HttpError({ tag: "connection-terminated" }, `${host}:${port} closed while connecting`);
  const pipe = st.pipe;
  return {
    read: () => pipe.read(),
    write: (bytes) => pipe.write(bytes),
    close: () => core.close(),
    abort: () => {
      pipe.abort("connection-reset", "the HTTP client gave up on this connection");
      core.close();
    },
    get ended() {
      return pipe.done || pipe.ended || pipe.error !== null;
    },
  } satisfies Conn;
}
