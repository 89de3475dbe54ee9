/** The outline of the active WIT file: worlds, interfaces, their types and functions; click to go there. */
import { useDeferredValue, useMemo } from "react";
import { outline, type OutlineSymbol } from "../../wit/outline";
import { parseWit } from "../../wit/parser";

const ICONS: Record<OutlineSymbol["kind"], string> = { package: "▣", interface: "I", world: "W", type: "T", resource: "R", function: "ƒ", import: "↓", export: "↑", include: "+" };

export function OutlineView(props: { path: string; text: string; onGo: (offset: number) => void }) {
  const text = useDeferredValue(props.text);
  const symbols = useMemo(() => outline(parseWit(text)), [text]);
  const item = (s: OutlineSymbol, depth: number) => (
    <li key={`${s.kind}:${s.name}:${s.span.start}`}>
      <button className={`outline-row k-${s.kind}`} style={{ paddingLeft: `${0.3 + depth * 0.8}rem` }} onClick={() => props.onGo(s.nameSpan.start)} title={`${s.detail} ${s.name}`}>
        <span className="outline-icon" aria-hidden="true">
          {ICONS[s.kind]}
        </span>
        <span className="outline-name">{s.name}</span>
        <span className="outline-detail">{s.detail !== s.kind ? s.detail : ""}</span>
      </button>
      {s.children.length > 0 && <ul>{s.children.map((c) => item(c, depth + 1))}</ul>}
    </li>
  );
  return (
    <nav className="outline" aria-label={`Outline of ${props.path}`} data-testid="outline">
      {symbols.length === 0 ? <p className="muted">No worlds or interfaces yet.</p> : <ul>{symbols.map((s) => item(s, 0))}</ul>}
    </nav>
  );
}
