// The Wisp packet parser against random and mutated packets: every input decodes or fails with a
// WispProtocolError that names the byte where it failed; what decodes encodes back to the same
// bytes (CONNECT, DATA, CONTINUE, CLOSE, INFO are each one layout). Seeded (base/fuzz.fixture.ts).
import { describe, expect, it } from "vitest";
import { below, fuzzIterations, fuzzSeed, prng } from "../../../base/fuzz.fixture";
import { decodePacket, encodeClose, encodeConnect, encodeData, encodeInfo, PacketType, WispProtocolError, type Packet } from "./packet";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

/** The bytes `p` encodes to; CONTINUE has no encoder of its own (only the relay sends it). */
function encode(p: Packet): Uint8Array {
  switch (p.type) {
    case PacketType.CONNECT:
      return encodeConnect(p.stream, p.streamType, p.port, p.hostname);
    case PacketType.DATA:
      return encodeData(p.stream, p.data);
    case PacketType.CLOSE:
      return encodeClose(p.stream, p.reason);
    case PacketType.INFO:
      return Uint8Array.from([p.type, ...new Uint8Array(new Uint32Array([p.stream]).buffer), ...encodeInfo(p.major, p.minor, p.extensions).subarray(5)]);
    default: {
      const out = new Uint8Array(9);
      const view = new DataView(out.buffer);
      view.setUint8(0, p.type);
      view.setUint32(1, p.stream, true);
      view.setUint32(5, p.bufferRemaining, true);
      return out;
    }
  }
}

/** "ok" or "error"; anything else (another exception, an offset outside the input) fails, naming the input. */
function attempt(bytes: Uint8Array, what: string): "ok" | "error" {
  let p: Packet;
  try {
    p = decodePacket(bytes);
  } catch (err) {
    if (!(err instanceof WispProtocolError)) throw new Error(`${what} (${hex(bytes)}): threw ${String(err)}`);
    if (err.offset === null || err.offset < 0 || err.offset > bytes.length) throw new Error(`${what} (${hex(bytes)}): error without an offset in the input: ${err.message}`);
    return "error";
  }
  // A hostname that is not UTF-8 decodes with replacement characters; only valid text round-trips.
  if (p.type === PacketType.CONNECT && p.hostname.includes("\uFFFD")) return "ok";
  // CLOSE and CONTINUE have fixed payloads; bytes past them are ignored (as wisp-js does).
  const out = encode(p);
  const fixed = p.type === PacketType.CLOSE || p.type === PacketType.CONTINUE;
  const want = hex(fixed ? bytes.subarray(0, out.length) : bytes);
  if (hex(out) !== want) throw new Error(`${what} (${hex(bytes)}): re-encoded as ${hex(out)}`);
  return "ok";
}

const SEEDS: Uint8Array[] = [
  encodeConnect(1, 1, 443, "example.com"),
  encodeData(7, Uint8Array.of(1, 2, 3, 4, 5)),
  encodeClose(3, 0x48),
  encodeInfo(2, 0, new Map([[0x01, new Uint8Array(0)], [0x04, new TextEncoder().encode("motd")]])),
  Uint8Array.of(0x03, 0, 0, 0, 0, 128, 0, 0, 0),
];

describe("decodePacket on fuzzed input", () => {
  it("random bytes and mutated valid packets decode, or fail naming the byte", () => {
    const rand = prng(fuzzSeed(29));
    const n = fuzzIterations(20_000);
    const outcomes = { ok: 0, error: 0 };
    for (let i = 0; i < n; i++) {
      let bytes: Uint8Array;
      if (i % 4 === 0) bytes = Uint8Array.from({ length: below(rand, 24) }, () => below(rand, 256));
      else {
        bytes = new Uint8Array(SEEDS[below(rand, SEEDS.length)]!);
        for (let k = below(rand, 4); k >= 0; k--) bytes[below(rand, bytes.length)] = below(rand, 256);
        if (rand() < 0.3) bytes = bytes.subarray(0, below(rand, bytes.length + 1));
        // Small types hit real layouts more often than a uniform byte would.
        if (rand() < 0.5 && bytes.length > 0) bytes[0] = 1 + below(rand, 6);
      }
      outcomes[attempt(bytes, `input ${i} of seed ${fuzzSeed(29)}`)]++;
    }
    expect(outcomes.ok + outcomes.error).toBe(n);
    expect(outcomes.ok).toBeGreaterThan(n / 10);
    expect(outcomes.error).toBeGreaterThan(n / 10);
  });

  it("an INFO that lists an extension twice is refused at the second entry (found by FUZZ_SEED=1000)", () => {
    const twice = Uint8Array.from([0x05, 0, 0, 0, 0, 2, 0, 0x01, 0, 0, 0, 0, 0x01, 4, 0, 0, 0, 0x6d, 0x6f, 0x74, 0x64]);
    expect(() => decodePacket(twice)).toThrow(new WispProtocolError("INFO lists extension 0x1 twice", 12));
  });
});
