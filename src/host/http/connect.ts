/**
 * The HTTP client's connections as TCP sockets of the run (`sockets/tcp.ts`): a host name
 * resolves as ip-name-lookup resolves it, loopback reaches components serving in the playground,
 * anything else goes through the Wisp relay if the run's allow-list has it. So every request shows
 * in the Network panel, and a refused destination is refused exactly as a socket's connect is.
 */
import type { SocketsCtx } from "../sockets/ctx";
import { TcpCore } from "../sockets/tcp";
import type { Conn, Connector } from "./conn";
import { HttpError } from "./errors";

export function socketConnector(sockets: SocketsCtx): Connector {
  return {
    async connect(host, port, tls) {
      if (tls) throw new HttpError({ tag: "TLS-protocol-error" }, `https://${host}:${port}: TLS is not available over the relay in this build; use http:// or the run's fetch mode`);
      const name = host.startsWith("[") ? host.slice(1, -1) : host;
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
    },
  };
}
