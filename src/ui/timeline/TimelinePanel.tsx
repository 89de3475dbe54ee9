/**
 * The timeline panel, a shell over the pure files beside it: the toolbar, the canvas with its
 * pointer and keys, and a frame loop. The view (viewport.ts) and the highlight live in refs and are
 * drawn once per animation frame; React renders only the toolbar, a few times a second. Whether it
 * is open (and so records traces) and its colours come from the page, which folds the panel away
 * while it is closed and follows the theme.
 */
import { useCallback, useEffect, useRef, useState, type PointerEvent } from "react";
import type { Emphasis } from "./emphasis";
import { hitAtPoint } from "./hit";
import type { Marker, Span } from "./layout";
import type { TimelinePalette } from "./palette";
import { TimelineRenderer, type Highlight } from "./render";
import { NO_FILTERS, toggleInstance, toggleKind, type Filters } from "./rows";
import { selectAt } from "./selection";
import type { TraceSession } from "./session";
import { readStatus, sameStatus, type TimelineStatus } from "./status";
import { stepLine } from "./steps";
import { summarize, type TimelineSummary } from "./summary";
import { SummaryView } from "./SummaryView";
import { timelineTestHook, type FrameStats } from "./testHook";
import { TimelineLegend } from "./TimelineLegend";
import { TimelineToolbar } from "./TimelineToolbar";
import { describeHit, tipPosition } from "./tooltip";
import { useExampleNotes } from "./useExampleNotes";
import { keyCommand, TimelineViewport, traceBounds, wheelCommand, type ViewCommand } from "./viewport";
import "./timeline.css";

/**
 * `emphasis` (optional) stresses some marks and dims the rest (emphasis.ts): a lesson points at
 * what its text talks about.
 */
export function TimelinePanel({
  session,
  open,
  onOpenChange,
  palette,
  emphasis,
}: {
  session: TraceSession;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  palette: TimelinePalette;
  emphasis?: Emphasis;
}) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const tipRef = useRef<HTMLDivElement>(null);
  const [view] = useState(() => new TimelineViewport());
  const [renderer] = useState(() => new TimelineRenderer());
  const highlight = useRef<Highlight>({});
  const stats = useRef<FrameStats>({ spans: 0, markers: 0, arrows: 0, calls: 0, rows: 0, frames: 0 });
  const frame = useRef(0);
  const drag = useRef<{ x: number; y: number; moved: boolean } | null>(null);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const [status, setStatus] = useState<TimelineStatus | null>(null);
  const [selection, setSelection] = useState<string | null>(null);
  const [showSummary, setShowSummary] = useState(false);
  const [summary, setSummary] = useState<TimelineSummary | null>(null);
  /** Step mode: the store index of the event shown, or null when off. */
  const [step, setStep] = useState<number | null>(null);
  const lastStatus = useRef(0);
  const notes = useExampleNotes(session.source?.component ?? null);

  const currentStatus = useCallback(() => readStatus(session, view.follow), [session, view]);

  const draw = useCallback(() => {
    frame.current = 0;
    const canvas = canvasRef.current;
    if (!canvas || view.width === 0) return;
    const more = session.step(8);
    const scale = view.frame(traceBounds(session.store));
    const ctx = canvas.getContext("2d")!;
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    view.clampScroll(renderer.rows(session.layout, filtersRef.current).height);
    const drawn = scale
      ? renderer.draw(ctx, session.layout, scale, view, filtersRef.current, highlight.current)
      : renderer.drawMessage(ctx, view, session.watching ? "Run a component to see its tasks, calls and streams here, or import a trace." : "Tracing is off.");
    stats.current = { ...drawn, frames: stats.current.frames + 1 };
    // The toolbar re-renders only when what it shows changed, at most 4 times a second while busy.
    const now = performance.now();
    if (now - lastStatus.current > 250 || !more) {
      lastStatus.current = now;
      const next = currentStatus();
      setStatus((prev) => (prev && sameStatus(prev, next) ? prev : next));
    }
    if (more || session.loading !== null) frame.current = requestAnimationFrame(draw);
  }, [session, renderer, view, currentStatus]);

  const request = useCallback(() => {
    if (!frame.current) frame.current = requestAnimationFrame(draw);
  }, [draw]);

  // New trace: follow it from the start (runs) or show all of it (files).
  const sourceRef = useRef(session.source);
  useEffect(
    () =>
      session.subscribe(() => {
        if (session.source !== sourceRef.current) {
          sourceRef.current = session.source;
          view.reset();
          highlight.current = { emphasis: highlight.current.emphasis };
          setSelection(null);
          setStep(null);
        }
        request();
      }),
    [session, view, request],
  );
  useEffect(() => {
    request();
  }, [filters, request]);

  // Runs record a trace only while the panel is open.
  useEffect(() => {
    session.watching = open;
    request();
  }, [session, open, request]);

  useEffect(() => {
    highlight.current = { ...highlight.current, emphasis };
    request();
  }, [emphasis, request]);

  useEffect(() => {
    renderer.palette = palette;
    request();
  }, [renderer, palette, request]);

  useEffect(() => {
    if (!open) return;
    const wrap = wrapRef.current;
    const canvas = canvasRef.current;
    if (!wrap || !canvas) return;
    const ro = new ResizeObserver(() => {
      const dpr = window.devicePixelRatio || 1;
      const w = wrap.clientWidth;
      const h = wrap.clientHeight;
      view.resize(w, h);
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
      canvas.style.width = `${w}px`;
      canvas.style.height = `${h}px`;
      request();
    });
    ro.observe(wrap);
    return () => ro.disconnect();
  }, [open, view, request]);

  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  /** Selects the task of the span clicked at canvas x `atPx`; nothing (or a marker) clears the selection. */
  const select = (hit: Span | Marker | null, atPx: number) => {
    const t = view.timeAt(atPx);
    const picked = t === null ? null : selectAt(session.layout, hit, t);
    highlight.current = { ...highlight.current, selected: picked?.selected, related: picked?.related ?? [] };
    setSelection(picked?.text ?? null);
    request();
  };

  const run = (cmd: ViewCommand) => {
    if (cmd.kind === "clear-selection") return select(null, 0);
    if (cmd.kind === "zoom") view.zoomAt(cmd.factor, cmd.atPx);
    else if (cmd.kind === "pan") view.pan(cmd.dxPx, cmd.dyPx);
    else if (cmd.kind === "fit") view.fit(traceBounds(session.store));
    else view.followNewest();
    request();
    if (cmd.kind === "fit" || cmd.kind === "follow") setStatus(currentStatus());
  };

  // Wheel: non-passive so the page does not scroll under the canvas.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !open) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      run(wheelCommand(e));
    };
    canvas.addEventListener("wheel", onWheel, { passive: false });
    return () => canvas.removeEventListener("wheel", onWheel);
  });

  /** The pointer's canvas position and what is drawn there. */
  const pointed = (e: PointerEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const y = e.clientY - rect.top;
    const hit = view.scale ? hitAtPoint(renderer.rows(session.layout, filtersRef.current), view.scale, filtersRef.current, x, y, view.scrollY) : null;
    return { x, y, hit };
  };

  const onPointerMove = (e: PointerEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    if (d) {
      const dx = e.clientX - d.x;
      const dy = e.clientY - d.y;
      if (Math.abs(dx) + Math.abs(dy) > 2) d.moved = true;
      if (d.moved) {
        d.x = e.clientX;
        d.y = e.clientY;
        run({ kind: "pan", dxPx: -dx, dyPx: -dy });
      }
      return;
    }
    if (!view.scale) return;
    const { x, y, hit } = pointed(e);
    if (hit !== (highlight.current.hovered ?? null)) {
      highlight.current = { ...highlight.current, hovered: hit ?? undefined };
      request();
    }
    const tip = tipRef.current;
    if (tip) {
      tip.hidden = !hit;
      if (hit) {
        tip.textContent = describeHit(session.store, hit);
        const at = tipPosition(x, y, view.width);
        tip.style.left = `${at.left}px`;
        tip.style.top = `${at.top}px`;
      }
    }
  };

  // The test hook: what the layout holds and what the last frame drew.
  useEffect(() => {
    window.__timeline = timelineTestHook({
      session,
      view,
      renderer,
      filters: () => filtersRef.current,
      stats: () => stats.current,
      framePending: () => frame.current !== 0,
      status: currentStatus,
    });
    return () => {
      delete window.__timeline;
    };
  }, [session, view, renderer, currentStatus]);

  useEffect(() => {
    if (showSummary) setSummary(summarize(session.layout));
  }, [showSummary, status?.laidOut, status?.live, session]);

  /** Goes to step `i` (clamped to the trace): its instant in sight and marked by the cursor. */
  const goToStep = (i: number | null) => {
    const n = session.store.length;
    const at = i === null || n === 0 ? null : Math.max(0, Math.min(n - 1, i));
    setStep(at);
    const t = at === null ? undefined : session.store.t[at]!;
    highlight.current = { ...highlight.current, cursor: t };
    if (t !== undefined) view.reveal(t);
    request();
  };

  const exportTrace = () => {
    const url = URL.createObjectURL(new Blob([session.exportText()], { type: "application/json" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `${(session.source?.component ?? "trace").replace(/\.wasm$/, "")}-trace.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <section className={`timeline-panel ${open ? "open" : ""}`} aria-label="Timeline" data-testid="timeline">
      <TimelineToolbar
        open={open}
        onToggleOpen={() => onOpenChange(!open)}
        status={status}
        filters={filters}
        onToggleKind={(c) => setFilters((f) => toggleKind(f, c))}
        onToggleInstance={(i) => setFilters((f) => toggleInstance(f, i))}
        showSummary={showSummary}
        onToggleSummary={() => setShowSummary(!showSummary)}
        onFollow={() => run({ kind: "follow" })}
        onFit={() => run({ kind: "fit" })}
        stepping={step !== null}
        onToggleStep={() => goToStep(step === null ? 0 : null)}
        onExport={exportTrace}
        onImport={(f) => void f.text().then((text) => session.importText(f.name, text))}
      />
      {open && (
        <>
          {status?.error && (
            <p className="timeline-error" role="alert">
              {status.error}
            </p>
          )}
          <TimelineLegend palette={palette} />
          {step !== null && step < session.store.length && (
            <div className="timeline-step">
              <button onClick={() => goToStep(step - 1)} disabled={step === 0} data-testid="timeline-step-prev" aria-label="Previous step">
                ◀
              </button>
              <button onClick={() => goToStep(step + 1)} disabled={step >= session.store.length - 1} data-testid="timeline-step-next" aria-label="Next step">
                ▶
              </button>
              <output data-testid="timeline-step">{stepLine(session.store, step)}</output>
            </div>
          )}
          {notes && (
            <details className="timeline-notes" data-testid="timeline-notes">
              <summary>What this example's timeline should show ({notes.name}/README.md)</summary>
              <p>{notes.text}</p>
            </details>
          )}
          <div className="timeline-body">
            <div className="timeline-canvas" ref={wrapRef}>
              <canvas
                ref={canvasRef}
                tabIndex={0}
                data-testid="timeline-canvas"
                aria-label="Trace timeline. Keys: W/S or +/- zoom, A/D or arrows pan, up/down scroll, F follow, 0 fit, Escape clears the selection."
                onKeyDown={(e) => {
                  const cmd = keyCommand(e.key, view);
                  if (!cmd) return;
                  run(cmd);
                  e.preventDefault();
                }}
                onPointerDown={(e) => {
                  e.currentTarget.setPointerCapture(e.pointerId);
                  e.currentTarget.focus({ preventScroll: true });
                  drag.current = { x: e.clientX, y: e.clientY, moved: false };
                }}
                onPointerUp={(e) => {
                  const d = drag.current;
                  drag.current = null;
                  if (d && !d.moved && view.scale) {
                    const { x, hit } = pointed(e);
                    select(hit, x);
                  }
                }}
                onPointerMove={onPointerMove}
                onPointerLeave={() => {
                  if (tipRef.current) tipRef.current.hidden = true;
                  highlight.current = { ...highlight.current, hovered: undefined };
                  request();
                }}
              />
              <div className="timeline-tip" ref={tipRef} hidden />
            </div>
            {showSummary && summary && <SummaryView summary={summary} />}
          </div>
          {selection && (
            <p className="timeline-selection" data-testid="timeline-selection">
              {selection}
            </p>
          )}
        </>
      )}
    </section>
  );
}
