/**
 * Relay benchmarks: a TCP echo server reached through our Wisp client and the wisp-js relay, against
 * a direct WebSocket echo, both started by scripts/bench.mjs on this machine. `relay_echo_rtt_64b`
 * is one 64-byte round trip (mean of a batch); `relay_throughput_64mib` moves 64 MiB out and back
 * (128 MiB carried). The virtual network's benchmark is vnet.ts.
 */
import { WispConnection, type WispStream } from "../src/host/sockets/wisp/connection";
import { openBrowserTransport, webSocketTransport, type WebSocketConstructor, type WispTransport } from "../src/host/sockets/wisp/transport";
import { type Time, median } from "./measure";

export interface NetBenchConfig {
  /** The Wisp relay (its policy must let it reach 127.0.0.1). */
  relayUrl: string;
  /** TCP echo server on 127.0.0.1. */
  tcpEchoPort: number;
  /** Direct WebSocket echo server. */
  wsEchoUrl: string;
}

const MiB = 1024 * 1024;
const CHUNK = 64 * 1024;
const TOTAL = 64 * MiB;
const RTT_BATCH = 200;
/** What wisp-js's relay lets a stream have in flight: 128 DATA packets of 64 KiB. */
const WISP_WINDOW = 128 * CHUNK;


/** Reads from `next` until `n` bytes arrived. */
async function drain(next: () => Promise<Uint8Array | null>, n: number): Promise<void> {
  let got = 0;
  while (got < n) {
    const c = await next();
    if (!c) throw new Error(`the echo ended after ${got} of ${n} bytes`);
    got += c.length;
  }
}

async function wispRtt(stream: WispStream): Promise<void> {
  const msg = new Uint8Array(64).fill(7);
  for (let i = 0; i < RTT_BATCH; i++) {
    await stream.write(msg);
    await drain(() => stream.read(), msg.length);
  }
}

async function wispThroughput(stream: WispStream): Promise<void> {
  const chunk = new Uint8Array(CHUNK).fill(1);
  const reading = drain(() => stream.read(), TOTAL);
  for (let at = 0; at < TOTAL; at += CHUNK) await stream.write(chunk);
  await reading;
}

/** The direct side: one WebSocket, each message echoed by the server. */
async function directSocket(url: string): Promise<WispTransport> {
  return webSocketTransport(url, [], WebSocket as unknown as WebSocketConstructor);
}

async function directRtt(ws: WispTransport): Promise<void> {
  const msg = new Uint8Array(64).fill(7);
  for (let i = 0; i < RTT_BATCH; i++) {
    ws.send(msg);
    await drain(() => ws.next(), msg.length);
  }
}

/**
 * At most `WISP_WINDOW` bytes in flight, as the relay's credits allow our side: sending all 64 MiB
 * at once would time the browser's send buffer more than the echo.
 */
async function directThroughput(ws: WispTransport): Promise<void> {
  const chunk = new Uint8Array(CHUNK).fill(1);
  let back = 0;
  let wake: (() => void) | undefined;
  const reading = drain(async () => {
    const c = await ws.next();
    back += c?.length ?? 0;
    wake?.();
    return c;
  }, TOTAL);
  // A failed echo releases the sender; `await reading` then reports it.
  reading.catch(() => {
    back = Infinity;
    wake?.();
  });
  for (let at = 0; at < TOTAL; at += CHUNK) {
    while (at - back >= WISP_WINDOW) await new Promise<void>((r) => (wake = r));
    ws.send(chunk);
  }
  await reading;
}

export async function netBenchmarks(time: Time, reps: number, cfg: NetBenchConfig, log: (line: string) => void) {
  const out: Record<string, { ours: number; direct_ws: number; samples: number }> = {};
  const wisp = await WispConnection.open(await openBrowserTransport(cfg.relayUrl));
  const direct = await directSocket(cfg.wsEchoUrl);
  try {
    const rttStream = wisp.openStream("tcp", "127.0.0.1", cfg.tcpEchoPort);
    await wispRtt(rttStream); // warm-up: connection setup, JIT
    await directRtt(direct);
    const rttOurs: number[] = [];
    const rttDirect: number[] = [];
    for (let i = 0; i < reps; i++) {
      rttOurs.push((await time(() => wispRtt(rttStream))) / RTT_BATCH);
      rttDirect.push((await time(() => directRtt(direct))) / RTT_BATCH);
    }
    rttStream.close();
    out.relay_echo_rtt_64b = { ours: median(rttOurs), direct_ws: median(rttDirect), samples: reps };
    log(`relay_echo_rtt_64b: ${median(rttOurs).toFixed(3)} ms through Wisp, ${median(rttDirect).toFixed(3)} ms direct`);

    const tpOurs: number[] = [];
    const tpDirect: number[] = [];
    const n = Math.max(1, Math.floor(reps / 2));
    for (let i = 0; i < n; i++) {
      const stream = wisp.openStream("tcp", "127.0.0.1", cfg.tcpEchoPort);
      tpOurs.push(await time(() => wispThroughput(stream)));
      stream.close();
      tpDirect.push(await time(() => directThroughput(direct)));
    }
    out.relay_throughput_64mib = { ours: median(tpOurs), direct_ws: median(tpDirect), samples: n };
    const mbps = (ms: number) => ((2 * TOTAL) / MiB / (ms / 1000)).toFixed(0);
    log(`relay_throughput_64mib: ${mbps(median(tpOurs))} MiB/s through Wisp, ${mbps(median(tpDirect))} MiB/s direct (64 MiB each way, both directions counted)`);
  } finally {
    wisp.close();
    direct.close();
  }
  return out;
}
