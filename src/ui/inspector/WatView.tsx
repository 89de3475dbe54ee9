/** Printed WAT of a component, virtualized: only the lines in view are in the DOM, however long the text. */
import { useMemo, useState } from "react";
import { LineIndex, visibleRange } from "./lines";

const LINE_PX = 16;
const VIEW_PX = 400;
const OVERSCAN = 20;
/** Browsers stop laying out past ~33 million px of scroll height. */
export const WAT_MAX_LINES = 2_000_000;

export function WatView(props: { text: string; name: string }) {
  const idx = useMemo(() => new LineIndex(props.text), [props.text]);
  const [scrollTop, setScrollTop] = useState(0);
  const shown = Math.min(idx.count, WAT_MAX_LINES);
  const { first, last } = visibleRange(scrollTop, VIEW_PX, LINE_PX, shown, OVERSCAN);
  const gutter = String(shown).length;
  const rows = [];
  for (let i = first; i < last; i++) {
    rows.push(
      <div key={i} className="wat-line">
        <span className="wat-no">{String(i + 1).padStart(gutter)}</span>
        {idx.line(i)}
      </div>,
    );
  }
  const download = () => {
    const url = URL.createObjectURL(new Blob([props.text], { type: "text/plain" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = props.name.replace(/\.wasm$/, "") + ".wat";
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <div className="wat-view" data-testid="wat-view" role="region" aria-label="Printed WAT">
      <p className="muted">
        {idx.count.toLocaleString()} lines, {(props.text.length / 1024 / 1024).toFixed(1)} MiB of text{" "}
        <button onClick={download}>Download .wat</button>
      </p>
      <div className="wat-scroll" style={{ maxHeight: VIEW_PX }} tabIndex={0} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        <div style={{ height: shown * LINE_PX, position: "relative" }}>
          <div style={{ position: "absolute", top: first * LINE_PX, left: 0, right: 0 }}>{rows}</div>
        </div>
      </div>
      {shown < idx.count && <p className="muted">Showing the first {WAT_MAX_LINES.toLocaleString()} lines; download the file for the rest.</p>}
    </div>
  );
}
