// echo-server: a TCP and UDP echo service on the playground's virtual network (wasi:sockets 0.3).
import { getArguments } from "wasi:cli/environment@0.3.0";
import { exitWithCode } from "wasi:cli/exit@0.3.0";
import { writeViaStream as writeStdout } from "wasi:cli/stdout@0.3.0";
import { writeViaStream as writeStderr } from "wasi:cli/stderr@0.3.0";
import { TcpSocket, UdpSocket } from "wasi:sockets/types@0.3.0";

// QuickJS has no TextEncoder: encode UTF-8 by hand.
function utf8(text) {
  const out = [];
  for (const ch of text) {
    const c = ch.codePointAt(0);
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return new Uint8Array(out);
}

// One line to stdout or stderr: a stream<u8> per line, so each shows up as it happens.
async function say(writeViaStream, text) {
  const { readable, writable } = wit.Stream(wit.Stream.U8);
  const done = writeViaStream(readable);
  await writable.writeAll(utf8(text + "\n"));
  writable.drop();
  await done.read();
}
const log = (text) => say(writeStdout, text);

/** `ip-socket-address` as text: 127.0.0.1:7000 or [::1]:7000. */
function show(addr) {
  if (addr.tag === "ipv4") return `${addr.val.address.join(".")}:${addr.val.port}`;
  return `[${addr.val.address.map((g) => g.toString(16)).join(":")}]:${addr.val.port}`;
}

/** The error-code of a failed call (imports throw an Error whose payload is the variant). */
function codeOf(err) {
  const p = err && typeof err === "object" && "payload" in err ? err.payload : err;
  if (p && typeof p.tag === "string") return p.val ? `${p.tag} (${p.val})` : p.tag;
  return String(err);
}

/** Counts the bytes flowing from a connection's receive stream into its send stream. */
async function* counted(stream, stats) {
  for await (const chunk of stream) {
    stats.bytes += chunk.length;
    yield chunk;
  }
}

/**
 * Echoes one connection until the client closes its sending side: the receive stream goes
 * straight back out as the send stream, chunk by chunk, so backpressure runs end to end.
 */
async function serve(conn) {
  const peer = show(conn.getRemoteAddress());
  await log(`tcp: connection from ${peer}`);
  const stats = { bytes: 0 };
  const [incoming, received] = conn.receive();
  const sent = conn.send(counted(incoming, stats));
  const [inResult, outResult] = await Promise.all([received.read(), sent.read()]);
  const failed = [inResult, outResult].find((r) => r && r.tag === "err");
  await log(`tcp: ${peer} closed after ${stats.bytes} bytes${failed ? ` (${codeOf(failed.val)})` : ""}`);
  conn[Symbol.dispose]();
}

async function serveUdp(sock) {
  for (;;) {
    const [data, from] = await sock.receive();
    await sock.send(data, from);
    await log(`udp: echoed ${data.length} bytes to ${show(from)}`);
  }
}

export const run = {
  async run() {
    const args = getArguments().slice(1);
    const port = args.length > 0 ? Number(args[0]) : 7000;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      await say(writeStderr, `echo-server: '${args[0]}' is not a port (0-65535)`);
      exitWithCode(2);
    }
    const any = { tag: "ipv4", val: { port, address: [0, 0, 0, 0] } };
    const listener = TcpSocket.create("ipv4");
    const udp = UdpSocket.create("ipv4");
    try {
      listener.bind(any);
      const bound = listener.getLocalAddress().val.port;
      udp.bind({ tag: "ipv4", val: { port: bound, address: [0, 0, 0, 0] } });
      const connections = listener.listen(); // stream<tcp-socket>: one item per accepted connection
      await log(`echo-server: listening on tcp and udp port ${bound}`);
      void serveUdp(udp).catch((e) => say(writeStderr, `udp: ${codeOf(e)}`));
      for await (const conn of connections) void serve(conn).catch((e) => say(writeStderr, `tcp: ${codeOf(e)}`));
    } catch (e) {
      await say(writeStderr, `echo-server: cannot listen on port ${port}: ${codeOf(e)}`);
      exitWithCode(1);
    }
  },
};
