/**
 * The Learn view's state and its one action: build the learner's guest (the server's build
 * endpoint, as the authoring workspace does), compose it where the lesson says, load and run it in
 * the playground with the timeline recording, send a serve lesson its requests, then check the
 * trace. Progress (passed lessons, drafts) persists in localStorage.
 */
import { useCallback, useMemo, useRef, useState } from "react";
import { BuildClient } from "../../client/BuildClient";
import type { CheckResult, Lesson } from "../../learn/lesson";
import { LESSONS, lessonById } from "../../learn/lessons";
import { loadProgress, markPassed, saveProgress, withDraft, type Draft, type Progress } from "../../learn/progress";
import { PreviewPort } from "../../protocol/preview";
import type { RunOutcome } from "../../protocol/runtime";
import type { Playground } from "../app/usePlayground";
import type { DockApi } from "../layout/DockContext";
import { composeLesson } from "./composeLesson";
import { lessonRun, storedEvents } from "./lessonRun";

export type LearnPhase = "idle" | "building" | "running" | "checking";

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
  const [result, setResult] = useState<{ lesson: string; check: CheckResult } | null>(null);
  const builder = useMemo(() => new BuildClient(), []);
  const latest = useRef(pg);
  latest.current = pg;

  const select = useCallback((id: string) => setProgress((p) => ({ ...p, current: id })), [setProgress]);
  const edit = useCallback((d: Draft | null) => setProgress((p) => withDraft(p, lesson.id, d)), [setProgress, lesson.id]);

  const run = useCallback(async () => {
    const ex = lesson.exercise;
    const report = (check: CheckResult) => {
      setResult({ lesson: lesson.id, check });
      if (check.pass) setProgress((p) => markPassed(p, lesson.id));
      setPhase("idle");
    };
    setResult(null);
    setPhase("building");
    dock.setCollapsed("bottom", false);
    dock.show("timeline");
    const name = `${lesson.id}.wasm`;
    const built = await builder.build({ kind: "js", files: [{ path: "wit/world.wit", text: draft.wit }, { path: "guest.js", text: draft.guest }], world: null, name }, () => {});
    if (!built.ok) return report({ pass: false, message: `The build failed: ${built.message}` });
    let bytes = built.bytes;
    try {
      if (ex.composeInto) bytes = await composeLesson(ex.composeInto, bytes, loadExample);
    } catch (e) {
      return report({ pass: false, message: e instanceof Error ? e.message : String(e) });
    }
    setPhase("running");
    void latest.current.load(name, bytes);
    // Run once the playground holds the new component, inspected, and the timeline records.
    if (!(await until(() => latest.current.component?.bytes === bytes && !latest.current.component.inspecting && latest.current.trace.watching, 30_000))) {
      return report({ pass: false, message: latest.current.component?.error?.message ?? "The component did not load." });
    }
    const req = { args: [], env: [], stdin: "", invoke: ex.starter.invoke };
    let outcome: RunOutcome | null;
    if (ex.requests) {
      const done = latest.current.start(req);
      const http = new PreviewPort(latest.current.http.httpPort());
      const { method, path, count } = ex.requests;
      const send = () => http.send({ method, path, scheme: "http", authority: "localhost", headers: [], body: null }, 30_000);
      // A first request answers once the handler serves (until then the worker says 503).
      for (let r = await send(); r?.status === 503; r = await send()) await sleep(100);
      await Promise.all(Array.from({ length: count }, send));
      await latest.current.http.shutdown();
      const o = await done;
      outcome = o && o.kind !== "stopped" ? o : null;
      http.port.close();
    } else {
      const o = await latest.current.start(req);
      outcome = o && o.kind !== "stopped" ? o : null;
    }
    setPhase("checking");
    report(lesson.check(lessonRun(outcome, storedEvents(latest.current.trace.store))));
  }, [lesson, draft, builder, dock, setProgress]);

  return { lessons: LESSONS, lesson, draft, progress, phase, result: result?.lesson === lesson.id ? result.check : null, select, edit, run };
}

export type Learn = ReturnType<typeof useLearn>;
