/**
 * One area of the dock: its panels as tabs (WAI-ARIA tabs: one tab stop, arrows, Home/End), each
 * panel kept mounted while another is shown, so editors and what was typed survive a switch. An
 * area with a single panel shows it without a strip.
 */
import { useRef, type KeyboardEvent, type ReactNode } from "react";
import { useDock } from "./DockContext";
import { tabKeyTarget } from "./keys";
import type { AreaId, PanelSpec } from "./registry";

export const AREA_LABELS: Record<AreaId, string> = { left: "Library", centre: "Workbench", right: "Output", bottom: "Timeline" };

export interface RenderedPanel extends PanelSpec {
  content: ReactNode;
}

export function TabArea({ area, panels }: { area: AreaId; panels: readonly RenderedPanel[] }) {
  const dock = useDock();
  const active = dock.active(area);
  const strip = useRef<HTMLDivElement>(null);
  const tabs = panels.length > 1;

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const at = panels.findIndex((p) => p.id === active);
    const next = tabKeyTarget(e.key, at, panels.length);
    if (next === null) return;
    e.preventDefault();
    dock.show(panels[next]!.id);
    strip.current?.querySelectorAll<HTMLElement>('[role="tab"]')[next]?.focus();
  };

  return (
    <section className={`dock-area dock-area-${area}`} data-area={area} aria-label={AREA_LABELS[area]} tabIndex={-1}>
      {tabs && (
        <div className="dock-tabs" role="tablist" aria-label={`${AREA_LABELS[area]} panels`} ref={strip} onKeyDown={onKeyDown}>
          {panels.map((p) => (
            <button
              key={p.id}
              type="button"
              role="tab"
              id={`dock-tab-${p.id}`}
              data-testid={`dock-tab-${p.id}`}
              aria-selected={p.id === active}
              aria-controls={`dock-panel-${p.id}`}
              tabIndex={p.id === active ? 0 : -1}
              onClick={() => dock.show(p.id)}
            >
              {p.title}
            </button>
          ))}
        </div>
      )}
      {panels.map((p) => (
        <div
          key={p.id}
          className="dock-panel"
          id={`dock-panel-${p.id}`}
          data-testid={`dock-panel-${p.id}`}
          role={tabs ? "tabpanel" : undefined}
          aria-labelledby={tabs ? `dock-tab-${p.id}` : undefined}
          hidden={p.id !== active}
        >
          {p.content}
        </div>
      ))}
    </section>
  );
}
