/**
 * The Learn view's state and its one action: build the learner's guest (the server's build
 * endpoint, as the authoring workspace does), compose it where the lesson says, load and run it in
 * the playground with the timeline recording, send a serve lesson its requests, then check the
 * trace. Progress (passed lessons, drafts) persists in localStorage.
 */
import { useCallback, useMemo, useRef, useState } from "react";
import { BuildClient } from "../../client/BuildClient";
import type { CheckResult, Lesson, LessonRequests } from "../../learn/lesson";
import { LESSONS, lessonById } from "../../learn/lessons";
import { loadProgress, markPassed, saveProgress, withDraft, type Draft, type Progress } from "../../learn/progress";
import { PreviewPort } from "../../protocol/preview";
import type { SourceDiagnostic } from "../../protocol/authoring-api";
import type { RunOutcome } from "../../protocol/runtime";
import type { Playground } from "../app/usePlayground";
import type { DockApi } from "../layout/DockContext";
import type { RunRequest } from "../run/manifest";
import { composeLesson } from "./composeLesson";
import { lessonRun, storedEvents } from "./lessonRun";

export type LearnPhase = "idle" | "building" | "running" | "checking";

/** What the run is doing now, for the learner to watch: a step, since when (ms, `performance.now`), and the latest detail. */
export interface LearnStatus {
  step: string;
  since: number;
  detail: string | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `ready` every 50 ms until it holds; false after `ms`. */
async function until(ready: () => boolean, ms: number): Promise<boolean> {
  for (const end = performance.now() + ms; performance.now() < end; await sleep(50)) if (ready()) return true;
  return ready();
}

/** A built example's bytes by name, through the example index (files are served by content hash). */
async function loadExample(name: string): Promise<Uint8Array> {
  const list = (await (await fetch("components/index.json")).json()) as Array<{ name: string; sha256: string }>;
  const entry = list.find((e) => e.name === name);
  if (!entry) throw new Error(`The example '${name}' is not built.`);
  return new Uint8Array(await (await fetch(`components/${entry.sha256}.wasm`)).arrayBuffer());
}

/** A failed build as the learner reads it: the message, then each diagnostic at its file and line. */
function buildFailure(message: string, diagnostics: readonly SourceDiagnostic[]): string {
  const lines = diagnostics.map((d) => `${d.path}:${d.line}:${d.column}: ${d.message}`);
  return [`The build failed: ${message}`, ...lines].join("\n");
}

/**
 * Serves the loaded handler, sends it the lesson's requests at once through the runtime worker's
 * HTTP port, then shuts it down cleanly. Resolves with the run's outcome (null if stopped). A run
 * that ends before it serves (a trap at start) ends the wait for it too.
 */
async function serveAndSend(pg: Playground, req: RunRequest, { method, path, count }: LessonRequests): Promise<RunOutcome | null> {
  let over = false;
  const done = pg.start(req).then((o) => {
    over = true;
    return o && o.kind !== "stopped" ? o : null;
  });
  const http = new PreviewPort(pg.http.httpPort());
  try {
    const send = () => Promise.race([http.send({ method, path, scheme: "http", authority: "localhost", headers: [], body: null }, 30_000), done.then(() => null)]);
    // The worker answers 503 until the handler serves.
    for (let r = await send(); r?.status === 503 && !over; r = await send()) await sleep(100);
    if (!over) {
      await Promise.all(Array.from({ length: count }, send));
      await pg.http.shutdown();
    }
    return await done;
  } finally {
    http.port.close();
  }
}

export function starterDraft(lesson: Lesson): Draft {
  return { guest: lesson.exercise.starter.guest, wit: lesson.exercise.starter.wit ?? lesson.exercise.wit };
}

/** `dock` opens the timeline before a run (a closed timeline records no trace). */
export function useLearn(pg: Playground, dock: Pick<DockApi, "setCollapsed" | "show">) {
  const [progress, setProgressState] = useState<Progress>(() => loadProgress(localStorage));
  const setProgress = useCallback((f: (p: Progress) => Progress) => {
    setProgressState((p) => {
      const next = f(p);
      saveProgress(localStorage, next);
      return next;
    });
  }, []);
  const lesson = lessonById(progress.current ?? "") ?? LESSONS[0]!;
  const draft = progress.drafts[lesson.id] ?? starterDraft(lesson);
  const [phase, setPhase] = useState<LearnPhase>("idle");
  const [status, setStatus] = useState<LearnStatus | null>(null);
  const [result, setResult] = useState<{ lesson: string; check: CheckResult } | null>(null);
  const builder = useMemo(() => new BuildClient(), []);
  const latest = useRef(pg);
  latest.current = pg;

  const select = useCallback((id: string) => setProgress((p) => ({ ...p, current: id })), [setProgress]);
  const edit = useCallback((d: Draft | null) => setProgress((p) => withDraft(p, lesson.id, d)), [setProgress, lesson.id]);

  const run = useCallback(async () => {
    const ex = lesson.exercise;
    const step = (p: LearnPhase, text: string) => {
      setPhase(p);
      setStatus({ step: text, since: performance.now(), detail: null });
    };
    const report = (check: CheckResult) => {
      setResult({ lesson: lesson.id, check });
      if (check.pass) setProgress((p) => markPassed(p, lesson.id));
      setPhase("idle");
      setStatus(null);
    };
    setResult(null);
    try {
      step("building", "Building guest.js with componentize-qjs");
      dock.setCollapsed("bottom", false);
      dock.show("timeline");
      const name = `${lesson.id}.wasm`;
      const built = await builder.build({ kind: "js", files: [{ path: "wit/world.wit", text: draft.wit }, { path: "guest.js", text: draft.guest }], world: null, name }, (e) =>
        setStatus((s) => s && { ...s, detail: e.kind === "queued" ? `waiting: ${e.position} build(s) ahead` : e.line }),
      );
      if (!built.ok) return report({ pass: false, message: buildFailure(built.message, built.diagnostics) });
      let bytes = built.bytes;
      if (ex.composeInto) {
        step("building", `Composing it into ${ex.composeInto.name}`);
        bytes = await composeLesson(ex.composeInto, bytes, loadExample);
      }
      step("running", "Loading the component");
      void latest.current.load(name, bytes);
      // Run once the playground holds the new component, inspected, and the timeline records.
      if (!(await until(() => latest.current.component?.bytes === bytes && !latest.current.component.inspecting && latest.current.trace.watching, 30_000))) {
        return report({ pass: false, message: latest.current.component?.error?.message ?? "The component did not load within 30 s." });
      }
      const failed = latest.current.component?.error;
      if (failed) return report({ pass: false, message: `The component does not load: ${failed.message}` });
      const invoke = ex.starter.invoke;
      const req = { args: [], env: [], stdin: "", invoke };
      let outcome: RunOutcome | null;
      if (ex.requests) {
        const { method, path, count } = ex.requests;
        step("running", `Serving it, then sending ${count} × ${method} ${path} at once`);
        outcome = await serveAndSend(latest.current, req, ex.requests);
      } else {
        step("running", invoke.kind === "call" ? `Running ${invoke.func}(${invoke.args.join(", ")})` : "Running it");
        const o = await latest.current.start(req);
        outcome = o && o.kind !== "stopped" ? o : null;
      }
      step("checking", "Checking the trace");
      const store = latest.current.trace.store;
      const check = lesson.check(lessonRun(outcome, storedEvents(store)));
      // A check over a trace that lost its oldest events may have missed what it looks for.
      report(check.pass || store.dropped === 0 ? check : { ...check, message: `${check.message} (The trace dropped its ${store.dropped} oldest events: the check saw only the rest.)` });
    } catch (e) {
      report({ pass: false, message: `The run could not be completed: ${e instanceof Error ? e.message : String(e)}` });
    }
  }, [lesson, draft, builder, dock, setProgress]);

  return { lessons: LESSONS, lesson, draft, progress, phase, status, result: result?.lesson === lesson.id ? result.check : null, select, edit, run };
}

export type Learn = ReturnType<typeof useLearn>;
