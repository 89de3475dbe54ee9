/**
 * Timeline benchmarks on the page's main thread (a real canvas, real animation frames), over a
 * synthetic 100,000-event trace:
 * - pan/zoom frame cost: each frame pans or zooms the view and draws; measured per frame as the
 *   draw call plus the rasterization it causes (a 1-pixel readback forces it), and as the
 *   interval between animation frames;
 * - import: a 100,000-event Chrome trace loaded the way the panel loads it (parse in slices,
 *   lay out within an 8 ms budget per frame), with the longest main-thread stall during the load.
 */
import { nanos } from "../src/base/time";
import { TimelineRenderer } from "../src/ui/timeline/render";
import { NO_FILTERS } from "../src/ui/timeline/rows";
import { TraceSession } from "../src/ui/timeline/session";
import { syntheticTrace } from "../src/ui/timeline/testTrace";
import { TimeScale } from "../src/ui/timeline/TimeScale";

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;
const frame = () => new Promise<number>((r) => requestAnimationFrame(r));

export interface TimelineResult {
  [metric: string]: { ours: number; samples: number; [extra: string]: number };
}

export async function timelineBenchmarks(log: (line: string) => void): Promise<TimelineResult> {
  const out: TimelineResult = {};
  const events = syntheticTrace(100_000);
  const session = new TraceSession();
  session.begin({ kind: "run", component: "synthetic.wasm" });
  session.appendEvents(events);
  session.settle();

  const canvas = document.createElement("canvas");
  const width = 1280;
  const height = 600;
  const dpr = window.devicePixelRatio || 1;
  canvas.width = width * dpr;
  canvas.height = height * dpr;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  document.body.append(canvas);
  const ctx = canvas.getContext("2d")!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const renderer = new TimelineRenderer();
  const v = { width, height, scrollY: 0 };
  const st = session.store;
  let scale = TimeScale.fit(nanos(BigInt(st.minT)), nanos(BigInt(st.maxT)), TimelineRenderer.timeWidth(v));

  // 300 frames: zoom in 10x over 60 frames, pan across, zoom back out, scroll rows, and repeat.
  const steps: Array<() => void> = [];
  for (let i = 0; i < 60; i++) steps.push(() => (scale = scale.zoom(1.04, width / 2)));
  for (let i = 0; i < 60; i++) steps.push(() => (scale = scale.pan(25)));
  for (let i = 0; i < 60; i++) steps.push(() => (scale = scale.zoom(1 / 1.04, width / 3)));
  for (let i = 0; i < 60; i++) steps.push(() => (v.scrollY += 150));
  for (let i = 0; i < 60; i++) steps.push(() => (scale = scale.pan(-40)));
  const costs: number[] = [];
  const intervals: number[] = [];
  let drawn = 0;
  let last = await frame();
  for (const step of steps) {
    step();
    const t = performance.now();
    const s = renderer.draw(ctx, session.layout, scale, v, NO_FILTERS);
    ctx.getImageData(0, 0, 1, 1);
    costs.push(performance.now() - t);
    drawn += s.spans;
    const now = await frame();
    intervals.push(now - last);
    last = now;
  }
  out.timeline_pan_zoom_100k_frame = { ours: quantile(costs, 0.5), p95: quantile(costs, 0.95), max: Math.max(...costs), raf_p95: quantile(intervals, 0.95), samples: costs.length };
  log(`timeline pan/zoom: median ${quantile(costs, 0.5).toFixed(2)} ms, p95 ${quantile(costs, 0.95).toFixed(2)} ms per frame (${(drawn / costs.length).toFixed(0)} spans drawn per frame)`);

  // Import 100,000 events as the panel does: parsing in slices between tasks; each animation
  // frame lays out for 8 ms and draws the whole trace (fit), forcing rasterization.
  const text = session.exportText();
  const loader = new TraceSession();
  let longest = 0;
  let lastTick = performance.now();
  let ticking = true;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - lastTick);
    lastTick = now;
    loader.step(8);
    const ls = loader.store;
    if (ls.length > 0) {
      const fit = TimeScale.fit(nanos(BigInt(ls.minT)), nanos(BigInt(ls.maxT)), TimelineRenderer.timeWidth(v));
      renderer.draw(ctx, loader.layout, fit, { ...v, scrollY: 0 }, NO_FILTERS);
      ctx.getImageData(0, 0, 1, 1);
    }
    if (ticking) requestAnimationFrame(tick);
  };
  const t0 = performance.now();
  requestAnimationFrame(tick);
  await loader.importText("synthetic-trace.json", text);
  while (!loader.layout.done) await frame();
  ticking = false;
  const loadMs = performance.now() - t0;
  canvas.remove();
  if (loader.store.length !== events.length) throw new Error(`imported ${loader.store.length} of ${events.length} events`);
  out.timeline_import_100k = { ours: loadMs, longest_frame_gap: longest, samples: 1 };
  log(`timeline import: ${loadMs.toFixed(0)} ms for ${events.length} events, longest gap between frames ${longest.toFixed(1)} ms`);
  return out;
}
