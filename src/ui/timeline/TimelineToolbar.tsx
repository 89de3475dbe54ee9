/** The timeline's toolbar: open/close, what is shown (status.ts), follow, fit, step mode, filters, summary, export, import. */
import { useRef } from "react";
import { CATEGORIES, type Category, type Filters } from "./rows";
import { statusText, type TimelineStatus } from "./status";

const FIDELITY_TEXT: Record<string, string> = {
  exact: "exact: the engine owns the scheduler, every task step is recorded",
  "host-boundary":
    "host-boundary: engine/jco runs the scheduler, so this shows what crosses the host edge (host calls, export calls as tasks, host-side stream and future copies), not the guest's internal task switches",
};

export interface TimelineToolbarProps {
  open: boolean;
  onToggleOpen: () => void;
  status: TimelineStatus | null;
  filters: Filters;
  onToggleKind: (c: Category) => void;
  onToggleInstance: (instance: number) => void;
  showSummary: boolean;
  onToggleSummary: () => void;
  onFollow: () => void;
  onFit: () => void;
  stepping: boolean;
  onToggleStep: () => void;
  onExport: () => void;
  onImport: (file: File) => void;
}

export function TimelineToolbar(props: TimelineToolbarProps) {
  const { open, status: st, filters } = props;
  const importRef = useRef<HTMLInputElement>(null);
  return (
    <div className="timeline-toolbar">
      <button className="timeline-title" aria-expanded={open} onClick={props.onToggleOpen} title={open ? "Hide the timeline and stop recording traces" : "Show the timeline; the next run records a trace"}>
        {open ? "▾" : "▸"} Timeline
      </button>
      {open && (
        <>
          {st?.fidelity && (
            <span className={`fidelity fidelity-${st.fidelity}`} data-testid="timeline-fidelity" title={FIDELITY_TEXT[st.fidelity]}>
              {st.fidelity}
            </span>
          )}
          <span className="muted" data-testid="timeline-status">
            {statusText(st)}
          </span>
          {st && st.dropped > 0 && (
            <span className="dropped" data-testid="timeline-dropped">
              {st.dropped.toLocaleString("en")} older events dropped
            </span>
          )}
          <span className="spacer" />
          <button aria-pressed={st?.follow ?? true} onClick={props.onFollow} title="Follow the newest events (F)">
            Follow
          </button>
          <button onClick={props.onFit} title="Show the whole trace (0)">
            Fit
          </button>
          <button aria-pressed={props.stepping} onClick={props.onToggleStep} disabled={!st || st.events === 0} data-testid="timeline-step-toggle" title="Walk the trace event by event, each named as its Component Model step">
            Step
          </button>
          <details className="timeline-filters">
            <summary>Filter</summary>
            <div className="filter-menu">
              <fieldset>
                <legend>Components</legend>
                {(st?.instances ?? []).map((i) => (
                  <label key={i.instance}>
                    <input type="checkbox" checked={!filters.hiddenInstances.has(i.instance)} onChange={() => props.onToggleInstance(i.instance)} /> {i.name}
                  </label>
                ))}
              </fieldset>
              <fieldset>
                <legend>Kinds</legend>
                {CATEGORIES.map((c) => (
                  <label key={c.id}>
                    <input type="checkbox" data-testid={`filter-${c.id}`} checked={!filters.hiddenKinds.has(c.id)} onChange={() => props.onToggleKind(c.id)} /> {c.label}
                  </label>
                ))}
              </fieldset>
            </div>
          </details>
          <button aria-pressed={props.showSummary} onClick={props.onToggleSummary} data-testid="timeline-summary-toggle">
            Summary
          </button>
          <button onClick={props.onExport} disabled={!st || st.events === 0} data-testid="timeline-export" title="Download as Chrome Trace Event JSON (opens in ui.perfetto.dev)">
            Export
          </button>
          <button onClick={() => importRef.current?.click()} data-testid="timeline-import-button" title="Open a trace exported from this playground">
            Import…
          </button>
          <input
            ref={importRef}
            type="file"
            accept=".json,application/json"
            hidden
            data-testid="timeline-import"
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = "";
              if (f) props.onImport(f);
            }}
          />
        </>
      )}
    </div>
  );
}
