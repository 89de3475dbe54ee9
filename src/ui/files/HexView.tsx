/** Read-only hex dump of a binary file, virtualized: only the lines in view are in the DOM. */
import { useState } from "react";
import { BYTES_PER_LINE, hexLine, lineCount } from "./hex";
import { formatSize } from "./tree";

const LINE_PX = 18;
const VIEW_PX = 360;
const OVERSCAN = 10;
/** Beyond this the scroll height would pass what browsers lay out; the rest is left out with a note. */
export const HEX_MAX_BYTES = 16 * 1024 * 1024;

export function HexView({ bytes }: { bytes: Uint8Array }) {
  const [scrollTop, setScrollTop] = useState(0);
  const shown = bytes.length > HEX_MAX_BYTES ? bytes.subarray(0, HEX_MAX_BYTES) : bytes;
  const lines = lineCount(shown.length);
  const first = Math.max(0, Math.floor(scrollTop / LINE_PX) - OVERSCAN);
  const last = Math.min(lines, Math.ceil((scrollTop + VIEW_PX) / LINE_PX) + OVERSCAN);
  const rows = [];
  for (let i = first; i < last; i++) {
    const l = hexLine(shown, i * BYTES_PER_LINE);
    rows.push(
      <div key={i} className="hex-line">
        <span className="hex-offset">{l.offset}</span>
        <span className="hex-bytes">{l.hex}</span>
        <span className="hex-ascii">{l.ascii}</span>
      </div>,
    );
  }
  return (
    <div className="hex-view" data-testid="file-hex" role="region" aria-label="Hex view">
      <div className="hex-scroll" style={{ maxHeight: VIEW_PX + LINE_PX + 16 }} tabIndex={0} onScroll={(e) => setScrollTop(Math.max(0, e.currentTarget.scrollTop - LINE_PX))}>
        <div className="hex-line hex-head" aria-hidden="true">
          <span className="hex-offset">offset  </span>
          <span className="hex-bytes">00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f</span>
          <span className="hex-ascii">ascii</span>
        </div>
        <div style={{ height: lines * LINE_PX, position: "relative" }}>
          <div style={{ position: "absolute", top: first * LINE_PX, left: 0, right: 0 }}>{rows}</div>
        </div>
      </div>
      {shown !== bytes && (
        <p className="muted">
          Showing the first {formatSize(HEX_MAX_BYTES)} of {formatSize(bytes.length)}; download the file to see the rest.
        </p>
      )}
    </div>
  );
}
