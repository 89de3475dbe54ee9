/**
 * Runs componentize-qjs builds in a child process (`componentize-child.ts`), kept warm between
 * builds. A build past its time limit kills the child; the next build starts a fresh one.
 */
import { fork, type ChildProcess } from "node:child_process";
import type { ChildJob, ChildResult } from "./componentize-child.ts";

export type RunResult = ChildResult | { id: number; ok: false; message: string; timedOut: true };

interface Child {
  process: ChildProcess;
  /** Builds sent to this process and not answered yet. */
  pending: Map<number, (r: RunResult) => void>;
}

export class ComponentizeRunner {
  #child: Child | undefined;
  #nextId = 1;
  /** Where the running build's printed lines go (QuickJS `console.log` at snapshot time, componentize-qjs output). */
  #output: (line: string) => void = () => {};

  constructor(private readonly timeoutMs: number) {}

  #ensure(): Child {
    if (this.#child) return this.#child;
    const proc = fork(new URL("./componentize-child.ts", import.meta.url), [], {
      execArgv: ["--import", import.meta.resolve("tsx")],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    const child: Child = { process: proc, pending: new Map() };
    const lines = (chunk: Buffer) => chunk.toString("utf8").split("\n").filter((l) => l.trim()).forEach((l) => this.#output(l));
    proc.stdout?.on("data", lines);
    proc.stderr?.on("data", lines);
    proc.on("message", (r: ChildResult) => {
      const done = child.pending.get(r.id);
      child.pending.delete(r.id);
      done?.(r);
    });
    proc.on("exit", (code, signal) => {
      if (this.#child === child) this.#child = undefined;
      for (const [id, done] of child.pending) done({ id, ok: false, message: `The build process ended unexpectedly (${signal ?? `exit code ${code}`}).` });
      child.pending.clear();
    });
    this.#child = child;
    return child;
  }

  /** One build at a time per runner (the queue sees to it). */
  run(job: Omit<ChildJob, "id">, onOutput: (line: string) => void, timeoutMs = this.timeoutMs): Promise<RunResult> {
    const id = this.#nextId++;
    const child = this.#ensure();
    this.#output = onOutput;
    return new Promise<RunResult>((resolve) => {
      const timer = setTimeout(() => {
        child.pending.delete(id);
        if (this.#child === child) this.#child = undefined;
        child.process.kill("SIGKILL");
        resolve({ id, ok: false, message: `stopped after ${(timeoutMs / 1000).toFixed(0)} s`, timedOut: true });
      }, timeoutMs);
      child.pending.set(id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      child.process.send({ ...job, id } satisfies ChildJob);
    });
  }

  dispose(): void {
    this.#child?.process.kill("SIGKILL");
    this.#child = undefined;
  }
}
