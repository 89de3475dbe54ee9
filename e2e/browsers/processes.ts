/** The processes a smoke run starts (server, Xvfb, WebKitWebDriver): started, awaited, and stopped by PID. */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export interface Started {
  readonly pid: number;
  /** The first match of `re` in the process's output (stdout and stderr), once it appears. */
  waitForOutput(re: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** The last few KiB it printed, for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after 3 s; resolves once it has exited. */
  stop(): Promise<void>;
}

const KEEP = 8 * 1024;

export function startProcess(command: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Started {
  const child: ChildProcess = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let exited = child.exitCode !== null;
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-KEEP);
    for (const l of listeners) l();
  };
  child.stdout!.on("data", append);
  child.stderr!.on("data", append);
  const exit = new Promise<void>((resolve) =>
    child.once("exit", () => {
      exited = true;
      for (const l of listeners) l();
      resolve();
    }),
  );
  child.once("error", (err) => append(Buffer.from(`\n${command}: ${err.message}\n`)));
  if (child.pid === undefined) throw new Error(`${command} could not be started (is it installed?)`);
  const pid = child.pid;
  return {
    pid,
    output: () => out,
    waitForOutput: (re, timeoutMs) =>
      new Promise((resolve, reject) => {
        const done = () => {
          listeners.delete(check);
          clearTimeout(timer);
        };
        const check = () => {
          const m = out.match(re);
          if (m) {
            done();
            resolve(m);
          } else if (exited) {
            done();
            reject(new Error(`${command} exited before printing ${re}:\n${out}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${command} did not print ${re} within ${timeoutMs / 1000} s:\n${out}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      }),
    stop: async () => {
      if (exited) return;
      signal(pid, "SIGTERM");
      const timer = setTimeout(() => signal(pid, "SIGKILL"), 3000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Sends `sig` to `pid` if it is still running. */
export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

/** `preferred` if nothing listens there, else the next free port above it. */
export async function freePort(preferred: number): Promise<number> {
  for (let port = preferred; port < preferred + 100; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once("error", () => resolve(false));
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${preferred}..${preferred + 99}`);
}

/** Resolves once `url` answers; fails when `proc` has meanwhile printed nothing useful for `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs: number, proc: Started, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fetch(url);
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${what} did not answer at ${url} within ${timeoutMs / 1000} s:\n${proc.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
