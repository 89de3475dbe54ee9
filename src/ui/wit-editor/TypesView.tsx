/** The TypeScript jco generates for the world, host side or guest side: one file at a time. */
import { useState } from "react";
import type { GeneratedTypes } from "../../protocol/authoring-api";

export function TypesView(props: { types: GeneratedTypes | null; side: "host" | "guest"; waiting: string | null }) {
  const [picked, setPicked] = useState<string | null>(null);
  const { types } = props;
  if (props.waiting) return <p className="muted">{props.waiting}</p>;
  if (!types) return <p className="muted">Generating…</p>;
  if (!types.ok) return <p className="error">{types.message}</p>;
  const files = props.side === "host" ? types.host : types.guest;
  // The world's own file first; interfaces after.
  const sorted = [...files].sort((a, b) => Number(a.name.includes("/")) - Number(b.name.includes("/")) || a.name.localeCompare(b.name));
  const shown = sorted.find((f) => f.name === picked) ?? sorted[0];
  return (
    <div className="types-view" data-testid={`types-${props.side}`}>
      <div className="types-files" role="tablist" aria-label="Generated files">
        {sorted.map((f) => (
          <button key={f.name} role="tab" aria-selected={f === shown} className={f === shown ? "selected" : ""} onClick={() => setPicked(f.name)}>
            {f.name}
          </button>
        ))}
      </div>
      <pre className="types-text" data-testid={`types-${props.side}-text`}>
        {shown?.text ?? ""}
      </pre>
      <p className="muted types-note">
        {props.side === "host"
          ? `jco types: what a JS host sees of a component built for world \`${types.world}\` (its exports) and must provide (its imports).`
          : `jco guest-types: what a JS guest implementing world \`${types.world}\` exports, and the imports it can use.`}
      </p>
    </div>
  );
}
