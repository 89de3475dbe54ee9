/** Pure hex-dump formatting for the Files panel's binary view: one line per 16 bytes. */

export const BYTES_PER_LINE = 16;

export interface HexLine {
  /** Eight hex digits. */
  offset: string;
  /** Sixteen two-digit bytes separated by spaces (an extra space after the eighth), padded on the last line. */
  hex: string;
  /** Printable ASCII, `.` for everything else. */
  ascii: string;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function lineCount(byteLength: number): number {
  return Math.ceil(byteLength / BYTES_PER_LINE);
}

/** The line starting at byte `offset` (a multiple of 16) of `bytes`. */
export function hexLine(bytes: Uint8Array, offset: number): HexLine {
  const end = Math.min(offset + BYTES_PER_LINE, bytes.length);
  let hex = "";
  let ascii = "";
  for (let i = 0; i < BYTES_PER_LINE; i++) {
    const at = offset + i;
    if (i > 0) hex += i === 8 ? "  " : " ";
    if (at < end) {
      const b = bytes[at]!;
      hex += HEX[b];
      ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".";
    } else {
      hex += "  ";
    }
  }
  return { offset: offset.toString(16).padStart(8, "0"), hex, ascii };
}

/** `00000000  48 65 6c 6c 6f …  |Hello|`: what `hexdump -C` prints, for copying and tests. */
export function formatHexLine(bytes: Uint8Array, offset: number): string {
  const l = hexLine(bytes, offset);
  return `${l.offset}  ${l.hex}  |${l.ascii}|`;
}
