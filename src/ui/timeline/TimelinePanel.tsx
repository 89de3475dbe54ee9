/**
 * The timeline panel: a canvas drawing the current trace (live during a run), with pan/zoom by
 * wheel, drag and keyboard, hover details, task selection, filters, a summary, export to Chrome
 * Trace Event JSON and re-import. View state lives in refs and is drawn once per animation frame;
 * React renders only the toolbar, a few times a second.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { nanos } from "../../base/time";
import { markerLabel, type Marker, type Span } from "./layout";
import { hitTest, relatedTo } from "./hit";
import { AXIS_H, LABEL_W, shortName, TimelineRenderer, type DrawStats, type Highlight } from "./render";
import { CATEGORIES, type Category, type Filters } from "./rows";
import type { TraceSession } from "./session";
import { summarize, type TimelineSummary } from "./summary";
import { formatNs, TimeScale } from "./TimeScale";
import { useExampleNotes } from "./useExampleNotes";
import "./timeline.css";

interface ViewState {
  scale: TimeScale | null;
  scrollY: number;
  /** Keep the newest event at the right edge; `followSpan` null means "fit everything". */
  follow: boolean;
  followSpan: bigint | null;
  hover: Span | Marker | null;
  selected: Span | null;
  related: Span[];
  width: number;
  height: number;
}

interface Status {
  events: number;
  laidOut: number;
  dropped: number;
  fidelity: string | null;
  live: boolean;
  loading: number | null;
  error: string | null;
  component: string | null;
  /** "engine/jco", "engine/cm" or "file x.json". */
  origin: string | null;
  instances: Array<{ instance: number; name: string }>;
  follow: boolean;
}

export interface TimelineTestHook {
  spans(): Array<{ lane: string; instance: number; task: number; row: number; kind: string; name: string; start: number; end: number | null; detail?: string }>;
  transfers(): Array<{ kind: string; id: number; count: number; label: string; from: number; to: number; fromLane: string; toLane: string }>;
  stats(): DrawStats & { frames: number };
  view(): { start: number; end: number; follow: boolean; scrollY: number };
  summary(): TimelineSummary;
  status(): Status;
  /** True when every stored event is laid out and drawn. */
  idle(): boolean;
  /** Where (canvas CSS pixels) time `t` of a task's row is drawn; `row` -1 is the bar. Null when scrolled or filtered away. */
  pointOf(t: number, instance: number, task: number, row: number): { x: number; y: number } | null;
}

declare global {
  interface Window {
    /** Read by e2e tests: the laid-out model and what the last frame drew. */
    __timeline?: TimelineTestHook;
  }
}

const FIDELITY_TEXT: Record<string, string> = {
  exact: "exact: the engine owns the scheduler, every task step is recorded",
  "host-boundary":
    "host-boundary: engine/jco runs the scheduler, so this shows what crosses the host edge (host calls, export calls as tasks, host-side stream and future copies), not the guest's internal task switches",
};

export function TimelinePanel({ session }: { session: TraceSession }) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const tipRef = useRef<HTMLDivElement>(null);
  const view = useRef<ViewState>({ scale: null, scrollY: 0, follow: true, followSpan: null, hover: null, selected: null, related: [], width: 0, height: 0 });
  const renderer = useMemo(() => new TimelineRenderer(), []);
  const stats = useRef<DrawStats & { frames: number }>({ spans: 0, markers: 0, arrows: 0, rows: 0, frames: 0 });
  const frame = useRef(0);
  const [open, setOpen] = useState(session.watching);
  const [filters, setFilters] = useState<Filters>({ hiddenInstances: new Set(), hiddenKinds: new Set() });
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const [status, setStatus] = useState<Status | null>(null);
  const [selection, setSelection] = useState<string | null>(null);
  const [showSummary, setShowSummary] = useState(false);
  const [summary, setSummary] = useState<TimelineSummary | null>(null);
  const importRef = useRef<HTMLInputElement>(null);
  const lastStatus = useRef(0);
  const notes = useExampleNotes(session.source?.component ?? null);

  const readStatus = useCallback((): Status => {
    const st = session.store;
    return {
      events: st.length,
      laidOut: session.layout.laidOut,
      dropped: st.dropped,
      fidelity: st.fidelity,
      live: session.live,
      loading: session.loading,
      error: session.error,
      component: session.source?.component ?? null,
      origin: session.source?.kind === "file" ? `file ${session.source.file}` : session.source?.engine ? `engine/${session.source.engine}` : null,
      instances: session.layout.lanes.map((l) => ({ instance: l.instance, name: l.name })),
      follow: view.current.follow,
    };
  }, [session]);

  const draw = useCallback(() => {
    frame.current = 0;
    const canvas = canvasRef.current;
    const v = view.current;
    if (!canvas || v.width === 0) return;
    const more = session.step(8);
    const st = session.store;
    const timeW = TimelineRenderer.timeWidth(v);
    if (st.length > 0) {
      const first = nanos(BigInt(st.minT));
      const last = nanos(BigInt(st.maxT));
      if (!v.scale || v.follow) {
        if (v.follow && v.followSpan !== null) v.scale = new TimeScale(nanos(last + v.followSpan / 50n - v.followSpan), nanos(v.followSpan), timeW);
        else v.scale = TimeScale.fit(first, last, timeW);
      } else if (v.scale.width !== timeW) v.scale = v.scale.withWidth(timeW);
    } else v.scale = null;
    const ctx = canvas.getContext("2d")!;
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const rows = renderer.rows(session.layout, filtersRef.current);
    v.scrollY = Math.max(0, Math.min(v.scrollY, rows.height - (v.height - AXIS_H) + 8));
    if (v.scale) {
      const hl: Highlight = { selected: v.selected ?? undefined, related: v.related, hovered: v.hover ?? undefined };
      const s = renderer.draw(ctx, session.layout, v.scale, { width: v.width, height: v.height, scrollY: v.scrollY }, filtersRef.current, hl);
      stats.current = { ...s, frames: stats.current.frames + 1 };
    } else {
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, v.width, v.height);
      ctx.fillStyle = "#6b7380";
      ctx.font = "13px system-ui, sans-serif";
      ctx.fillText(session.watching ? "Run a component to see its tasks, calls and streams here, or import a trace." : "Tracing is off.", 16, 30);
      stats.current = { spans: 0, markers: 0, arrows: 0, rows: 0, frames: stats.current.frames + 1 };
    }
    // The toolbar re-renders only when what it shows changed, at most 4 times a second while busy.
    const now = performance.now();
    if (now - lastStatus.current > 250 || !more) {
      lastStatus.current = now;
      const next = readStatus();
      setStatus((prev) => (prev && sameStatus(prev, next) ? prev : next));
    }
    if (more || session.loading !== null) frame.current = requestAnimationFrame(draw);
  }, [session, renderer, readStatus]);

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
          Object.assign(view.current, { scale: null, scrollY: 0, follow: true, followSpan: null, hover: null, selected: null, related: [] });
          setSelection(null);
        }
        request();
      }),
    [session, request],
  );
  useEffect(() => {
    request();
  }, [filters, request]);

  useEffect(() => {
    if (!open) return;
    const wrap = wrapRef.current;
    const canvas = canvasRef.current;
    if (!wrap || !canvas) return;
    const ro = new ResizeObserver(() => {
      const dpr = window.devicePixelRatio || 1;
      const w = wrap.clientWidth;
      const h = wrap.clientHeight;
      view.current.width = w;
      view.current.height = h;
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
      canvas.style.width = `${w}px`;
      canvas.style.height = `${h}px`;
      request();
    });
    ro.observe(wrap);
    return () => ro.disconnect();
  }, [open, request]);

  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  const userMoved = () => {
    view.current.follow = false;
  };
  const zoomAt = (factor: number, px: number) => {
    const v = view.current;
    if (!v.scale) return;
    v.scale = v.scale.zoom(factor, Math.max(0, px - LABEL_W));
    if (v.follow) v.followSpan = v.scale.span;
    request();
  };
  const pan = (dxPx: number, dyPx = 0) => {
    const v = view.current;
    if (!v.scale) return;
    if (dxPx !== 0) {
      userMoved();
      v.scale = v.scale.pan(dxPx);
    }
    v.scrollY += dyPx;
    request();
  };
  const fit = () => {
    const v = view.current;
    const st = session.store;
    v.follow = false;
    if (st.length > 0) v.scale = TimeScale.fit(nanos(BigInt(st.minT)), nanos(BigInt(st.maxT)), TimelineRenderer.timeWidth(v));
    request();
    setStatus(readStatus());
  };
  const follow = () => {
    Object.assign(view.current, { follow: true, followSpan: null });
    request();
    setStatus(readStatus());
  };

  // Wheel: zoom at the pointer; shift+wheel scrolls rows; horizontal wheel pans. Non-passive so
  // the page does not scroll under the canvas.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !open) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const px = e.offsetX;
      const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1;
      if (e.shiftKey) pan(0, e.deltaY * unit);
      else if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) pan(e.deltaX * unit);
      else zoomAt(Math.exp(-e.deltaY * unit * 0.0015), px);
    };
    canvas.addEventListener("wheel", onWheel, { passive: false });
    return () => canvas.removeEventListener("wheel", onWheel);
  });

  const drag = useRef<{ x: number; y: number; moved: boolean; id: number } | null>(null);

  const describe = (hit: Span | Marker): string => {
    if ("end" in hit) {
      const dur = Number.isFinite(hit.end) ? formatNs(hit.end - hit.start) : "still running";
      const where = `${hit.group.lane.name} · ${hit.group.task === 0 ? hit.group.name : `task ${hit.group.task} (${hit.group.name})`}`;
      const inner = hit.inner ? `\nserved by the host in ${Number.isFinite(hit.inner.end) ? formatNs(hit.inner.end - hit.inner.start) : "(running)"}` : "";
      return `${hit.kind}: ${hit.name}\n${formatNs(hit.start)} + ${dur}${hit.detail ? ` · ${hit.detail}` : ""}${inner}\n${where}`;
    }
    return `${markerLabel(session.store, hit)}\nat ${formatNs(hit.t)}\n${hit.group.lane.name} · ${hit.group.name}`;
  };

  const onPointerMove = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const v = view.current;
    const d = drag.current;
    if (d) {
      const dx = e.clientX - d.x;
      const dy = e.clientY - d.y;
      if (Math.abs(dx) + Math.abs(dy) > 2) d.moved = true;
      if (d.moved) {
        d.x = e.clientX;
        d.y = e.clientY;
        pan(-dx, -dy);
      }
      return;
    }
    if (!v.scale) return;
    const rect = e.currentTarget.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const y = e.clientY - rect.top;
    const rows = renderer.rows(session.layout, filtersRef.current);
    const hit = y > AXIS_H ? hitTest(rows, v.scale, filtersRef.current, x, y - AXIS_H + v.scrollY) : null;
    if (hit !== v.hover) {
      v.hover = hit;
      request();
    }
    const tip = tipRef.current;
    if (tip) {
      tip.hidden = !hit;
      if (hit) {
        tip.textContent = describe(hit);
        tip.style.left = `${Math.min(x + 12, v.width - 260)}px`;
        tip.style.top = `${y + 14}px`;
      }
    }
  };

  const select = (hit: Span | Marker | null, atPx: number) => {
    const v = view.current;
    if (!hit || !("end" in hit) || !v.scale) {
      Object.assign(v, { selected: null, related: [] });
      setSelection(null);
      request();
      return;
    }
    const t = Number(v.scale.pxToTime(atPx - LABEL_W));
    const task = hit.kind === "task" || hit.kind === "wait" ? (hit.group.bar ?? hit) : hit;
    const { starter, waitingOn } = relatedTo(session.layout, task, t);
    v.selected = task;
    v.related = task === hit || hit.kind === "wait" ? [...(starter ? [starter] : []), ...waitingOn] : hit.group.bar ? [hit.group.bar] : [];
    const g = task.group;
    const startedBy =
      g.startedBy === undefined ? "the host (an export call)" : starter ? `subtask ${starter.id} (${shortName(starter.name)}) in ${starter.group.lane.name} · ${starter.group.name}` : `subtask ${g.startedBy}`;
    const counts = new Map<string, number>();
    for (const s of waitingOn) counts.set(shortName(s.name), (counts.get(shortName(s.name)) ?? 0) + 1);
    const waits = [...counts].map(([n, c]) => (c > 1 ? `${c} × ${n}` : n)).join(", ") || "nothing";
    setSelection(
      task.kind === "task"
        ? `${g.name} (task ${g.task}) in ${g.lane.name}. Started by ${startedBy}. At ${formatNs(t)} it waits on: ${waits}.`
        : `${task.kind} ${task.name} in ${g.name} (task ${g.task}), ${formatNs(task.start)} + ${Number.isFinite(task.end) ? formatNs(task.end - task.start) : "running"}${task.detail ? `, ${task.detail}` : ""}.`,
    );
    request();
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLCanvasElement>) => {
    const v = view.current;
    const center = LABEL_W + TimelineRenderer.timeWidth(v) / 2;
    const step = TimelineRenderer.timeWidth(v) * 0.15;
    const k = e.key.toLowerCase();
    if (k === "w" || k === "+" || k === "=") zoomAt(1.5, center);
    else if (k === "s" || k === "-") zoomAt(1 / 1.5, center);
    else if (k === "a" || k === "arrowleft") pan(-step);
    else if (k === "d" || k === "arrowright") pan(step);
    else if (k === "arrowup") pan(0, -40);
    else if (k === "arrowdown") pan(0, 40);
    else if (k === "f") follow();
    else if (k === "0" || k === "home") fit();
    else if (k === "escape") select(null, 0);
    else return;
    e.preventDefault();
  };

  // The test hook: what the layout holds and what the last frame drew.
  useEffect(() => {
    window.__timeline = {
      spans: () => {
        session.settle();
        return session.layout.spans.map((s) => ({
          lane: s.group.lane.name,
          instance: s.group.lane.instance,
          task: s.group.task,
          row: s.row,
          kind: s.kind,
          name: s.name,
          start: s.start,
          end: Number.isFinite(s.end) ? s.end : null,
          ...(s.detail !== undefined ? { detail: s.detail } : {}),
        }));
      },
      transfers: () => {
        session.settle();
        return session.layout.transfers.map((t) => ({ kind: t.kind, id: t.id, count: t.count, label: t.label, from: t.from.t, to: t.to.t, fromLane: t.from.group.lane.name, toLane: t.to.group.lane.name }));
      },
      stats: () => ({ ...stats.current }),
      view: () => {
        const s = view.current.scale;
        return { start: s ? Number(s.start) : 0, end: s ? Number(s.end) : 0, follow: view.current.follow, scrollY: view.current.scrollY };
      },
      summary: () => {
        session.settle();
        return summarize(session.layout);
      },
      status: readStatus,
      idle: () => session.layout.done && session.loading === null && frame.current === 0,
      pointOf: (t, instance, task, row) => {
        const v = view.current;
        if (!v.scale) return null;
        const r = renderer
          .rows(session.layout, filtersRef.current)
          .rows.find((r) => r.kind !== "lane" && r.lane.instance === instance && r.group.task === task && (row < 0 ? r.kind === "bar" : r.kind === "track" && r.index === row));
        if (!r) return null;
        const y = AXIS_H + r.y - v.scrollY + r.h / 2;
        return y < AXIS_H || y > v.height ? null : { x: LABEL_W + v.scale.nsToPx(t), y };
      },
    };
    return () => {
      delete window.__timeline;
    };
  }, [session, readStatus]);

  useEffect(() => {
    if (showSummary) setSummary(summarize(session.layout));
  }, [showSummary, status?.laidOut, status?.live, session]);

  const toggleOpen = () => {
    session.watching = !open;
    setOpen(!open);
  };

  const exportTrace = () => {
    const text = session.exportText();
    const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `${(session.source?.component ?? "trace").replace(/\.wasm$/, "")}-trace.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const toggleKind = (c: Category) =>
    setFilters((f) => {
      const hiddenKinds = new Set(f.hiddenKinds);
      if (!hiddenKinds.delete(c)) hiddenKinds.add(c);
      return { ...f, hiddenKinds };
    });
  const toggleInstance = (i: number) =>
    setFilters((f) => {
      const hiddenInstances = new Set(f.hiddenInstances);
      if (!hiddenInstances.delete(i)) hiddenInstances.add(i);
      return { ...f, hiddenInstances };
    });

  const st = status;
  return (
    <section className={`timeline-panel ${open ? "open" : ""}`} aria-label="Timeline" data-testid="timeline">
      <div className="timeline-toolbar">
        <button className="timeline-title" aria-expanded={open} onClick={toggleOpen} title={open ? "Hide the timeline and stop recording traces" : "Show the timeline; the next run records a trace"}>
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
              {st && st.events > 0
                ? `${st.component ?? ""}${st.origin ? ` (${st.origin})` : ""} · ${st.events.toLocaleString("en")} events${st.live ? " · live" : ""}${st.laidOut < st.events ? ` · laying out ${Math.round((100 * st.laidOut) / st.events)}%` : ""}`
                : "no trace yet"}
              {st?.loading !== null && st?.loading !== undefined ? ` · loading ${Math.round(st.loading * 100)}%` : ""}
            </span>
            {st && st.dropped > 0 && (
              <span className="dropped" data-testid="timeline-dropped">
                {st.dropped.toLocaleString("en")} older events dropped
              </span>
            )}
            <span className="spacer" />
            <button aria-pressed={st?.follow ?? true} onClick={follow} title="Follow the newest events (F)">
              Follow
            </button>
            <button onClick={fit} title="Show the whole trace (0)">
              Fit
            </button>
            <details className="timeline-filters">
              <summary>Filter</summary>
              <div className="filter-menu">
                <fieldset>
                  <legend>Components</legend>
                  {(st?.instances ?? []).map((i) => (
                    <label key={i.instance}>
                      <input type="checkbox" checked={!filters.hiddenInstances.has(i.instance)} onChange={() => toggleInstance(i.instance)} /> {i.name}
                    </label>
                  ))}
                </fieldset>
                <fieldset>
                  <legend>Kinds</legend>
                  {CATEGORIES.map((c) => (
                    <label key={c.id}>
                      <input type="checkbox" data-testid={`filter-${c.id}`} checked={!filters.hiddenKinds.has(c.id)} onChange={() => toggleKind(c.id)} /> {c.label}
                    </label>
                  ))}
                </fieldset>
              </div>
            </details>
            <button aria-pressed={showSummary} onClick={() => setShowSummary(!showSummary)} data-testid="timeline-summary-toggle">
              Summary
            </button>
            <button onClick={exportTrace} disabled={!st || st.events === 0} data-testid="timeline-export" title="Download as Chrome Trace Event JSON (opens in ui.perfetto.dev)">
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
              onChange={async (e) => {
                const f = e.target.files?.[0];
                e.target.value = "";
                if (f) await session.importText(f.name, await f.text());
              }}
            />
          </>
        )}
      </div>
      {open && (
        <>
          {st?.error && (
            <p className="timeline-error" role="alert">
              {st.error}
            </p>
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
                onKeyDown={onKeyDown}
                onPointerDown={(e) => {
                  e.currentTarget.setPointerCapture(e.pointerId);
                  e.currentTarget.focus({ preventScroll: true });
                  drag.current = { x: e.clientX, y: e.clientY, moved: false, id: e.pointerId };
                }}
                onPointerUp={(e) => {
                  const d = drag.current;
                  drag.current = null;
                  if (d && !d.moved && view.current.scale) {
                    const rect = e.currentTarget.getBoundingClientRect();
                    const x = e.clientX - rect.left;
                    const y = e.clientY - rect.top;
                    const rows = renderer.rows(session.layout, filtersRef.current);
                    select(y > AXIS_H ? hitTest(rows, view.current.scale, filtersRef.current, x, y - AXIS_H + view.current.scrollY) : null, x);
                  }
                }}
                onPointerMove={onPointerMove}
                onPointerLeave={() => {
                  if (tipRef.current) tipRef.current.hidden = true;
                  view.current.hover = null;
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

function sameStatus(a: Status, b: Status): boolean {
  return (
    a.events === b.events &&
    a.laidOut === b.laidOut &&
    a.dropped === b.dropped &&
    a.fidelity === b.fidelity &&
    a.live === b.live &&
    a.loading === b.loading &&
    a.error === b.error &&
    a.component === b.component &&
    a.origin === b.origin &&
    a.follow === b.follow &&
    a.instances.length === b.instances.length &&
    a.instances.every((x, i) => x.name === b.instances[i]!.name)
  );
}

function SummaryView({ summary }: { summary: TimelineSummary }) {
  return (
    <aside className="timeline-summary" data-testid="timeline-summary">
      <p>
        <strong>{summary.tasksStarted}</strong> task{summary.tasksStarted === 1 ? "" : "s"} started · max <strong>{summary.maxConcurrentTasks}</strong> at once · max{" "}
        <strong>{summary.maxConcurrentCalls}</strong> calls in flight
      </p>
      <table>
        <thead>
          <tr>
            <th>task</th>
            <th>duration</th>
            <th>blocked</th>
            <th>calls</th>
          </tr>
        </thead>
        <tbody>
          {summary.tasks.map((t) => (
            <tr key={`${t.lane}:${t.task}`}>
              <td title={t.lane}>
                {t.name} #{t.task}
              </td>
              <td>{formatNs(t.durationNs)}</td>
              <td title={t.blockedBy === "waits" ? "time inside waitable-set waits" : "time with a host call or subtask pending (host-boundary traces see no waits)"}>
                {formatNs(t.blockedNs)} {t.blockedBy === "calls" ? "(calls)" : ""}
              </td>
              <td>{t.calls}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </aside>
  );
}
