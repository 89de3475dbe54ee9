// net-client-p2: a TCP client over wasi:sockets 0.2, where every call is synchronous and waiting
// happens on pollables (the host suspends the guest through JSPI while it waits).
import { getArguments } from "wasi:cli/environment@0.2.12";
import { getStdout } from "wasi:cli/stdout@0.2.12";
import { getStderr } from "wasi:cli/stderr@0.2.12";
import { instanceNetwork } from "wasi:sockets/instance-network@0.2.12";
import { resolveAddresses } from "wasi:sockets/ip-name-lookup@0.2.12";
import { createTcpSocket } from "wasi:sockets/tcp-create-socket@0.2.12";

const USAGE = "usage: net-client-p2 HOST PORT [MESSAGE...]\n";

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

const print = (stream, text) => stream.blockingWriteAndFlush(utf8(text + "\n"));

/** 0.2's error-code is an enum: a failed call throws an Error whose payload is the code's name. */
function codeOf(err) {
  const p = err && typeof err === "object" && "payload" in err ? err.payload : err;
  if (typeof p === "string") return p;
  if (p && typeof p.tag === "string") return p.tag;
  return String(err);
}

function main(args, out, err) {
  const [host, portText, ...words] = args;
  const port = Number(portText);
  if (!host || !Number.isInteger(port) || port < 1 || port > 65535) {
    err.blockingWriteAndFlush(utf8(USAGE));
    return false;
  }
  const network = instanceNetwork();
  let ip;
  try {
    const lookup = resolveAddresses(network, host);
    lookup.subscribe().block();
    for (let a = lookup.resolveNextAddress(); a !== undefined; a = lookup.resolveNextAddress()) {
      if (a.tag === "ipv4") {
        ip = a.val;
        break;
      }
    }
  } catch (e) {
    print(err, `net-client-p2: cannot resolve ${host}: ${codeOf(e)}`);
    return false;
  }
  if (!ip) {
    print(err, `net-client-p2: ${host} has no IPv4 address`);
    return false;
  }
  const sock = createTcpSocket("ipv4");
  let input, output;
  try {
    // start-connect returns at once; block on the socket's pollable until finish-connect can answer.
    sock.startConnect(network, { tag: "ipv4", val: { port, address: ip } });
    sock.subscribe().block();
    [input, output] = sock.finishConnect();
  } catch (e) {
    print(err, `net-client-p2: connect ${host}:${port} failed: ${codeOf(e)}`);
    return false;
  }
  const message = utf8(words.length > 0 ? words.join(" ") : "hello");
  const back = new Uint8Array(message.length);
  try {
    output.blockingWriteAndFlush(message);
    let got = 0;
    while (got < message.length) {
      const chunk = input.blockingRead(message.length - got); // u64 is a plain number here
      back.set(chunk, got);
      got += chunk.length;
    }
  } catch (e) {
    print(err, `net-client-p2: ${host}:${port}: ${e && e.payload && e.payload.tag ? e.payload.tag : codeOf(e)}`);
    return false;
  }
  print(out, `echo: ${fromUtf8(back)}`);
  sock.shutdown("both");
  return true;
}

export const run = {
  // A 0.2 `run` is synchronous: returning is exit status 0, throwing exit status 1.
  run() {
    const out = getStdout();
    const err = getStderr();
    if (!main(getArguments().slice(1), out, err)) throw "failed";
  },
};
