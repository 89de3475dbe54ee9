// net-client: connect to an echo service over TCP or UDP and check what comes back (wasi:sockets 0.3).
import { getArguments } from "wasi:cli/environment@0.3.0";
import { exitWithCode } from "wasi:cli/exit@0.3.0";
import { writeViaStream as writeStdout } from "wasi:cli/stdout@0.3.0";
import { writeViaStream as writeStderr } from "wasi:cli/stderr@0.3.0";
import { waitFor } from "wasi:clocks/monotonic-clock@0.3.0";
import { TcpSocket, UdpSocket } from "wasi:sockets/types@0.3.0";
import { resolveAddresses } from "wasi:sockets/ip-name-lookup@0.3.0";

const USAGE = `usage: net-client [--udp] [--mib N] HOST PORT [MESSAGE...]
  sends MESSAGE (default "hello") to HOST:PORT and prints what comes back
  --udp     one datagram instead of a TCP connection
  --mib N   TCP: stream N MiB through the echo and check every byte
`;
const CHUNK = 64 * 1024;
const MIB = 1024 * 1024;
const UDP_WAIT_NS = 2_000_000_000; // u64 durations are plain numbers in componentize-qjs

// QuickJS has no TextEncoder/TextDecoder: UTF-8 by hand.
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
function fromUtf8(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const n = b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
    let c = n === 1 ? b : b & (0xff >> (n + 1));
    for (let k = 1; k < n; k++) c = (c << 6) | (bytes[i + k] & 63);
    s += String.fromCodePoint(c);
    i += n;
  }
  return s;
}

async function say(writeViaStream, text) {
  const { readable, writable } = wit.Stream(wit.Stream.U8);
  const done = writeViaStream(readable);
  await writable.writeAll(utf8(text + "\n"));
  writable.drop();
  await done.read();
}
const log = (text) => say(writeStdout, text);
const fail = async (text, code = 1) => {
  await say(writeStderr, `net-client: ${text}`);
  exitWithCode(code);
};

function codeOf(err) {
  const p = err && typeof err === "object" && "payload" in err ? err.payload : err;
  if (p && typeof p.tag === "string") return p.val ? `${p.tag} (${p.val})` : p.tag;
  return String(err);
}

/** Byte i of the --mib pattern. */
const patternByte = (i) => (i * 31 + (i >> 16)) & 0xff;

async function tcp(addr, target, message, mib) {
  const sock = TcpSocket.create("ipv4");
  try {
    await sock.connect(addr);
  } catch (e) {
    return fail(`connect ${target} failed: ${codeOf(e)}`);
  }
  await log(`connected to ${target} from ${show(sock.getLocalAddress())}`);
  const total = mib > 0 ? mib * MIB : message.length;
  // An iterable passed for `send`'s stream<u8> becomes the stream (the binding picks the sockets'
  // stream<u8> type; wasi:cli's is another): each yield is written, the end closes our side.
  async function* outgoing() {
    if (mib === 0) {
      yield message;
      return;
    }
    for (let at = 0; at < total; at += CHUNK) {
      const chunk = new Uint8Array(CHUNK);
      for (let k = 0; k < CHUNK; k++) chunk[k] = patternByte(at + k);
      yield chunk;
    }
  }
  const sent = sock.send(outgoing());
  const [incoming, received] = sock.receive();
  const reader = incoming[Symbol.asyncIterator]();

  // Read exactly what was sent: an echo over the relay cannot see our end of stream (Wisp has no
  // half-close), so the client decides when it has everything.
  const back = mib === 0 ? new Uint8Array(total) : null;
  let got = 0;
  let nextReport = MIB;
  while (got < total) {
    const { value, done } = await reader.next();
    if (done) break;
    if (back) back.set(value, got);
    else for (let k = 0; k < value.length; k++) if (value[k] !== patternByte(got + k)) return fail(`byte ${got + k} came back wrong`);
    got += value.length;
    if (mib > 0 && got >= nextReport) {
      await log(`received ${Math.floor(got / MIB)} of ${mib} MiB`);
      nextReport += MIB;
    }
  }
  // Done reading: drop the receive stream (shutdown(SHUT_RD)), then the futures can settle.
  await reader.return();
  const [inResult, outResult] = await Promise.all([received.read(), sent.read()]);
  for (const r of [outResult, inResult]) if (r && r.tag === "err") return fail(`connection to ${target} failed after ${got} bytes: ${codeOf(r.val)}`);
  if (got < total) return fail(`${target} closed the connection after ${got} of ${total} bytes`);
  await log(mib > 0 ? `echoed ${mib} MiB intact` : `echo: ${fromUtf8(back)}`);
  sock[Symbol.dispose]();
}

async function udp(addr, target, message) {
  const sock = UdpSocket.create("ipv4");
  try {
    await sock.send(message, addr);
  } catch (e) {
    return fail(`send to ${target} failed: ${codeOf(e)}`);
  }
  const reply = await Promise.race([sock.receive(), waitFor(UDP_WAIT_NS).then(() => null)]);
  if (!reply) return fail(`no datagram came back from ${target} within 2 s`);
  const [data, from] = reply;
  await log(`udp reply from ${show(from)}: ${fromUtf8(data)}`);
}

function show(addr) {
  if (addr.tag === "ipv4") return `${addr.val.address.join(".")}:${addr.val.port}`;
  return `[${addr.val.address.map((g) => g.toString(16)).join(":")}]:${addr.val.port}`;
}

export const run = {
  async run() {
    const args = getArguments().slice(1);
    let useUdp = false;
    let mib = 0;
    while (args[0] && args[0].startsWith("--")) {
      const flag = args.shift();
      if (flag === "--udp") useUdp = true;
      else if (flag === "--mib" && /^\d+$/.test(args[0] ?? "")) mib = Number(args.shift());
      else return fail(`unknown option ${flag}\n${USAGE}`, 2);
    }
    const [host, portText, ...words] = args;
    const port = Number(portText);
    if (!host || !Number.isInteger(port) || port < 1 || port > 65535) return fail(`need HOST and PORT\n${USAGE}`, 2);
    let addresses;
    try {
      addresses = await resolveAddresses(host);
    } catch (e) {
      return fail(`cannot resolve ${host}: ${codeOf(e)}`);
    }
    const ip = addresses.find((a) => a.tag === "ipv4");
    if (!ip) return fail(`${host} has no IPv4 address`);
    const addr = { tag: "ipv4", val: { port, address: ip.val } };
    const target = `${host}:${port}`;
    const message = utf8(words.length > 0 ? words.join(" ") : "hello");
    if (useUdp) await udp(addr, target, message);
    else await tcp(addr, target, message, mib);
  },
};
