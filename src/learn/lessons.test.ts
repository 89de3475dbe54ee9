/**
 * Every lesson end to end in Node 20 on engine/cm: its starter and its reference solution built
 * with componentize-qjs (what the server's build endpoint runs), run through `RuntimeService` with
 * a trace (composed into the gateway, or served and sent concurrent requests, where the lesson
 * says), read by the timeline's trace query, and checked: the starter fails, the solution passes.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { componentize } from "componentize-qjs";
import { afterAll, describe, expect, it } from "vitest";
import { memoryCache } from "../engine/jco/cache";
import { RuntimeService } from "../engine/runtime-service";
import { PreviewPort } from "../protocol/preview";
import type { RunEvent, RunManifest, RunOutcome } from "../protocol/runtime";
import { chunkToBatch } from "../protocol/trace-chunk";
import type { TraceEvent } from "../protocol/trace-events";
import { composeLesson } from "../ui/learn/composeLesson";
import { lessonRun } from "../ui/learn/lessonRun";
import type { Attempt, Lesson } from "./lesson";
import { GATEWAY_API } from "../examples/graphs";
import { LESSONS, lessonById } from "./lessons";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function build(wit: string, guest: string): Promise<Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), "lesson-"));
  dirs.push(dir);
  writeFileSync(join(dir, "world.wit"), wit);
  symlinkSync(new URL("../../wit/deps", import.meta.url).pathname, join(dir, "deps"), "dir");
  const jsPath = join(dir, "guest.js");
  writeFileSync(jsPath, guest);
  return (await componentize({ witPath: dir, jsSource: guest, jsPath })).component;
}

const part = async (name: string) => new Uint8Array(readFileSync(new URL(`../../public/components/${name}.wasm`, import.meta.url)));

/** Runs one attempt as the Learn view does, and returns what the check reads. */
async function attempt(lesson: Lesson, a: Attempt) {
  const ex = lesson.exercise;
  let bytes = await build(a.wit ?? ex.wit, a.guest);
  if (ex.composeInto) bytes = await composeLesson(ex.composeInto, bytes, part);
  const service = new RuntimeService(memoryCache());
  const events: RunEvent[] = [];
  let serving!: () => void;
  const up = new Promise<void>((r) => (serving = r));
  const manifest: RunManifest = { componentName: `${lesson.id}.wasm`, bytes, args: [lesson.id], env: [], stdin: new Uint8Array(), invoke: a.invoke, engine: "cm", trace: true };
  const outcome: Promise<RunOutcome> = service.run(manifest, (batch) => {
    events.push(...batch);
    if (batch.some((e) => e.kind === "serving")) serving();
  });
  if (ex.requests) {
    await Promise.race([up, outcome]);
    const { port1, port2 } = new MessageChannel();
    await service.connectHttp(port2);
    const http = new PreviewPort(port1);
    const { method, path, count } = ex.requests;
    const answers = await Promise.all(Array.from({ length: count }, () => http.send({ method, path, scheme: "http", authority: "localhost", headers: [], body: null }, 10_000)));
    const texts = await Promise.all(answers.map(async (r) => (r?.body ? await new Response(r.body).text() : "")));
    expect(answers.map((r) => r?.status), texts.join("\n")).toEqual(Array(count).fill(200));
    await service.shutdown();
    port1.close();
  }
  const ended = await outcome;
  const trace: TraceEvent[] = events.flatMap((e) => (e.kind === "trace" ? chunkToBatch(e.chunk).events : []));
  return lessonRun(ended, trace);
}

describe("lessons", () => {
  it("at least 8, with unique ids, each with text, a goal and an emphasis", () => {
    expect(LESSONS.length).toBeGreaterThanOrEqual(8);
    expect(new Set(LESSONS.map((l) => l.id)).size).toBe(LESSONS.length);
    for (const l of LESSONS) {
      expect(l.text.length, l.id).toBeGreaterThan(100);
      expect(l.exercise.goal.length, l.id).toBeGreaterThan(10);
      expect(l.exercise.starter.guest).not.toBe(l.exercise.solution.guest);
    }
  });

  it("the composition lesson exports the gateway's API, the learner's guest as both backends", () => {
    const c = lessonById("composition")!.exercise.composeInto!;
    expect(c.parts.filter((p) => p.component === null).map((p) => p.instance)).toEqual(["users", "orders"]);
    expect(c.export).toEqual({ instance: "router", name: GATEWAY_API });
  });

  for (const lesson of LESSONS) {
    // In Node, the composed gateway's export cannot be called: jco's componentWit prints no
    // foreign package, so inspect lists no function of `playground:gateway/api`; e2e/learn.spec.ts
    // runs this lesson in Chromium.
    it.skipIf(lesson.exercise.composeInto !== undefined)(`${lesson.id}: the starter fails the check, saying what is wrong; the solution passes`, async () => {
      const starter = lesson.check(await attempt(lesson, lesson.exercise.starter));
      expect(starter.pass, starter.message).toBe(false);
      expect(starter.message).not.toMatch(/run the exercise with the timeline open|has to finish first/);
      const solution = lesson.check(await attempt(lesson, lesson.exercise.solution));
      expect(solution, solution.message).toMatchObject({ pass: true });
    }, 120_000);
  }
});
