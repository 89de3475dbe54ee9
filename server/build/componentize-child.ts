/**
 * A child process that runs componentize-qjs builds for the server, one at a time. It lives in
 * its own process so a build that never ends (top-level code looping at snapshot time, in native
 * code) can be killed without taking the server with it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { componentize } from "componentize-qjs";

export interface ChildJob {
  id: number;
  witDir: string;
  jsPath: string;
  moduleRoot: string;
  world: string | null;
  outPath: string;
}

export type ChildResult = { id: number; ok: true; size: number } | { id: number; ok: false; message: string };

process.on("message", (job: ChildJob) => {
  void (async () => {
    let result: ChildResult;
    try {
      const { component } = await componentize({
        witPath: job.witDir,
        jsSource: readFileSync(job.jsPath, "utf8"),
        jsPath: job.jsPath,
        moduleRoot: job.moduleRoot,
        ...(job.world ? { world: job.world } : {}),
      });
      writeFileSync(job.outPath, component);
      result = { id: job.id, ok: true, size: component.length };
    } catch (err) {
      result = { id: job.id, ok: false, message: String((err as Error)?.message ?? err) };
    }
    process.send!(result);
  })();
});
