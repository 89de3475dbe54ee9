/**
 * Wisp packets (MercuryWorkshop/wisp-protocol, protocol.md, "Packet format" and "Packet Types"):
 * type u8, stream id u32, payload; little-endian throughout.
 */

export const PacketType = { CONNECT: 0x01, DATA: 0x02, CONTINUE: 0x03, CLOSE: 0x04, INFO: 0x05 } as const;
export const StreamType = { TCP: 0x01, UDP: 0x02 } as const;

/** Close reasons (protocol.md, "CLOSE"). */
export const CloseReason = {
  Unknown: 0x01,
  Voluntary: 0x02,
  NetworkError: 0x03,
  IncompatibleExtensions: 0x04,
  InvalidInfo: 0x41,
  UnreachableHost: 0x42,
  NoResponse: 0x43,
  ConnRefused: 0x44,
  TransferTimeout: 0x47,
  HostBlocked: 0x48,
  ConnThrottled: 0x49,
  ClientError: 0x81,
} as const;

/** Extension ids (protocol.md, "Protocol Extensions"). */
export const Extension = { UDP: 0x01, PasswordAuth: 0x02, MOTD: 0x04 } as const;

export type Packet =
  | { type: typeof PacketType.CONNECT; stream: number; streamType: number; port: number; hostname: string }
  | { type: typeof PacketType.DATA; stream: number; data: Uint8Array }
  | { type: typeof PacketType.CONTINUE; stream: number; bufferRemaining: number }
  | { type: typeof PacketType.CLOSE; stream: number; reason: number }
  | { type: typeof PacketType.INFO; stream: number; major: number; minor: number; extensions: Map<number, Uint8Array> };

export class WispProtocolError extends Error {
  override name = "WispProtocolError";
  /** For a malformed packet: the byte of it where decoding failed. */
  constructor(
    message: string,
    readonly offset: number | null = null,
  ) {
    super(offset === null ? message : `${message} (at byte ${offset})`);
  }
}

/** Bytes before a packet's payload. */
export const HEADER = 5;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** A packet is encoded into a buffer of its own (what WebSocket.send takes). */
function header(type: number, stream: number, payload: number): { bytes: Uint8Array<ArrayBuffer>; view: DataView } {
  const bytes = new Uint8Array(HEADER + payload);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, type);
  view.setUint32(1, stream, true);
  return { bytes, view };
}

export function encodeConnect(stream: number, streamType: number, port: number, hostname: string): Uint8Array<ArrayBuffer> {
  const name = utf8.encode(hostname);
  const { bytes, view } = header(PacketType.CONNECT, stream, 3 + name.length);
  view.setUint8(5, streamType);
  view.setUint16(6, port, true);
  bytes.set(name, 8);
  return bytes;
}

export function encodeData(stream: number, data: Uint8Array): Uint8Array<ArrayBuffer> {
  return encodeDataInto(new Uint8Array(HEADER + data.length), stream, data);
}

/** DATA written at the start of `into` (at least `HEADER + data.length` bytes); returns the packet's view of it. */
export function encodeDataInto(into: Uint8Array<ArrayBuffer>, stream: number, data: Uint8Array): Uint8Array<ArrayBuffer> {
  const view = new DataView(into.buffer, into.byteOffset, HEADER);
  view.setUint8(0, PacketType.DATA);
  view.setUint32(1, stream, true);
  into.set(data, HEADER);
  return into.subarray(0, HEADER + data.length);
}

export function encodeClose(stream: number, reason: number): Uint8Array<ArrayBuffer> {
  const { bytes, view } = header(PacketType.CLOSE, stream, 1);
  view.setUint8(5, reason);
  return bytes;
}

/** INFO with the given extensions: each is id u8, payload length u32, payload. */
export function encodeInfo(major: number, minor: number, extensions: Map<number, Uint8Array>): Uint8Array<ArrayBuffer> {
  let size = 2;
  for (const payload of extensions.values()) size += 5 + payload.length;
  const { bytes, view } = header(PacketType.INFO, 0, size);
  view.setUint8(5, major);
  view.setUint8(6, minor);
  let at = 7;
  for (const [id, payload] of extensions) {
    view.setUint8(at, id);
    view.setUint32(at + 1, payload.length, true);
    bytes.set(payload, at + 5);
    at += 5 + payload.length;
  }
  return bytes;
}

export function decodePacket(bytes: Uint8Array): Packet {
  if (bytes.length < HEADER) throw new WispProtocolError(`packet of ${bytes.length} bytes is shorter than the 5-byte header`, bytes.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = view.getUint8(0);
  const stream = view.getUint32(1, true);
  const size = bytes.length - HEADER;
  const need = (n: number, what: string) => {
    if (size < n) throw new WispProtocolError(`${what} packet payload has ${size} bytes, needs ${n}`, bytes.length);
  };
  switch (type) {
    case PacketType.CONNECT:
      need(3, "CONNECT");
      return { type, stream, streamType: view.getUint8(5), port: view.getUint16(6, true), hostname: fromUtf8.decode(bytes.subarray(8)) };
    case PacketType.DATA:
      return { type, stream, data: bytes.subarray(HEADER) };
    case PacketType.CONTINUE:
      need(4, "CONTINUE");
      return { type, stream, bufferRemaining: view.getUint32(5, true) };
    case PacketType.CLOSE:
      need(1, "CLOSE");
      return { type, stream, reason: view.getUint8(5) };
    case PacketType.INFO: {
      need(2, "INFO");
      const extensions = new Map<number, Uint8Array>();
      let at = 7;
      while (at < bytes.length) {
        if (at + 5 > bytes.length) throw new WispProtocolError("INFO extension entry is cut short", at);
        const id = view.getUint8(at);
        if (extensions.has(id)) throw new WispProtocolError(`INFO lists extension 0x${id.toString(16)} twice`, at);
        const len = view.getUint32(at + 1, true);
        if (at + 5 + len > bytes.length) throw new WispProtocolError(`INFO extension 0x${id.toString(16)} claims ${len} bytes past the end`, at + 1);
        extensions.set(id, bytes.subarray(at + 5, at + 5 + len));
        at += 5 + len;
      }
      return { type, stream, major: view.getUint8(5), minor: view.getUint8(6), extensions };
    }
    default:
      throw new WispProtocolError(`unknown packet type 0x${type.toString(16)}`, 0);
  }
}
