/** stdout and stderr interleaved as they were written, with run status lines. */
import { useEffect, useRef } from "react";
import type { ConsoleModel } from "./consoleModel";

export function ConsoleView({ model, version }: { model: ConsoleModel; version: number }) {
  const ref = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [version]);
  return (
    <section className="console-panel" aria-label="Console">
      <h2>Console</h2>
      {/* Focusable, so the keyboard can scroll back through a long output. */}
      <pre ref={ref} className="console" data-testid="console" aria-live="polite" tabIndex={0}>
        {model.droppedChars > 0 && (
          <span className="c-info" data-testid="console-dropped">
            {`⋯ ${model.droppedChars.toLocaleString("en-US")} earlier characters are not kept (the console keeps the last ${model.keepChars.toLocaleString("en-US")})\n`}
          </span>
        )}
        {model.entries.map((e, i) => (
          <span key={i} className={`c-${e.kind}`} data-kind={e.kind}>
            {e.text}
          </span>
        ))}
      </pre>
    </section>
  );
}
