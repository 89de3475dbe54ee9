/** Host behaviour without any engine: the 0.2 and 0.3 views over one state. */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { createHost, ExitSignal, PACKAGES, servedInterfaceNames, suspendingFunctions } from ".";
import { ManualClocks } from "./clocks/ctx";
import { NeedsJspiError } from "./io/ctx";
import { seededRandom } from "./random/ctx";

type Fn = (...a: unknown[]) => unknown;

function makeHost(opts: { stdin?: string; canSuspend?: boolean } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const clocks = new ManualClocks();
  const host = createHost({
    cli: {
      args: ["prog", "a"],
      env: [["K", "V"]],
      stdin: new TextEncoder().encode(opts.stdin ?? ""),
      stdout: { write: (b) => void out.push(new TextDecoder().decode(b)) },
      stderr: { write: (b) => void err.push(new TextDecoder().decode(b)) },
    },
    blocking: { canSuspend: opts.canSuspend ?? false },
    clocks,
    random: seededRandom(42n),
  });
  const fn = (iface: string, name: string) => (host.interfaces.get(iface) as Record<string, Fn>)[name]!;
  return { host, out, err, clocks, fn };
}

async function* bytesOf(text: string): AsyncGenerator<number> {
  for (const b of new TextEncoder().encode(text)) yield b;
}

describe("wasi:cli", () => {
  it("serves args and env identically in 0.2 and 0.3", () => {
    const { fn } = makeHost();
    for (const v of ["0.2.12", "0.3.0"]) {
      expect(fn(`wasi:cli/environment@${v}`, "getArguments")()).toEqual(["prog", "a"]);
      expect(fn(`wasi:cli/environment@${v}`, "getEnvironment")()).toEqual([["K", "V"]]);
    }
  });

  it("exit unwinds with the status and records it", () => {
    const { host, fn } = makeHost();
    expect(() => fn("wasi:cli/exit@0.3.0", "exit")({ tag: "err" })).toThrow(ExitSignal);
    expect(host.cli.exitCode).toBe(1);
    expect(() => fn("wasi:cli/exit@0.3.0", "exitWithCode")(7)).toThrow("component exited with code 7");
    expect(host.cli.exitCode).toBe(7);
  });

  it("0.3 stdout drains a guest stream and resolves ok; 0.2 writes land in the same console", async () => {
    const { out, fn } = makeHost();
    const res = await fn("wasi:cli/stdout@0.3.0", "writeViaStream")(bytesOf("from 0.3\n"));
    expect(res).toEqual({ tag: "ok", val: undefined });
    const stream = fn("wasi:cli/stdout@0.2.12", "getStdout")() as { blockingWriteAndFlush(b: Uint8Array): void };
    stream.blockingWriteAndFlush(new TextEncoder().encode("from 0.2\n"));
    expect(out.join("")).toBe("from 0.3\nfrom 0.2\n");
  });

  it("stdin is one byte sequence for both views", async () => {
    const { fn } = makeHost({ stdin: "abcdef" });
    const p2 = fn("wasi:cli/stdin@0.2.12", "getStdin")() as { read(n: bigint): Uint8Array };
    expect(new TextDecoder().decode(p2.read(2n))).toBe("ab");
    const [stream, done] = fn("wasi:cli/stdin@0.3.0", "readViaStream")() as [ReadableStream<Uint8Array>, Promise<unknown>];
    const rest = await new Response(stream).text();
    expect(rest).toBe("cdef");
    expect(await done).toEqual({ tag: "ok", val: undefined });
    expect(() => p2.read(1n)).toThrow();
  });
});

describe("wasi:cli stdin@0.3.0", () => {
  it("the completion future settles once the stream was read to its end, not while bytes remain", async () => {
    const { fn } = makeHost({ stdin: "abc" });
    const [stream, done] = fn("wasi:cli/stdin@0.3.0", "readViaStream")() as [ReadableStream<Uint8Array>, Promise<unknown>];
    let settled = false;
    void done.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(settled).toBe(false);
    const reader = stream.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("abc");
    expect((await reader.read()).done).toBe(true);
    expect(await done).toEqual({ tag: "ok", val: undefined });
  });
});

describe("wasi:clocks", () => {
  it("wait-for resolves only when the clock reaches the deadline", async () => {
    const { clocks, fn } = makeHost();
    let done = false;
    const p = (fn("wasi:clocks/monotonic-clock@0.3.0", "waitFor")(5_000_000n) as Promise<void>).then(() => (done = true));
    await Promise.resolve();
    clocks.advance(4_999_999n);
    await Promise.resolve();
    expect(done).toBe(false);
    clocks.advance(1n);
    await p;
    expect(done).toBe(true);
  });

  it("zero-length waits resolve without a timer", async () => {
    const { clocks, fn } = makeHost();
    await fn("wasi:clocks/monotonic-clock@0.3.0", "waitFor")(0n);
    expect(clocks.sleeping).toBe(0);
  });

  it("a 0.2 pollable that is not ready needs JSPI to block, and says so", () => {
    const { fn } = makeHost();
    const pollable = fn("wasi:clocks/monotonic-clock@0.2.12", "subscribeDuration")(1_000n) as { ready(): boolean; block(): void };
    expect(pollable.ready()).toBe(false);
    expect(() => pollable.block()).toThrow(NeedsJspiError);
  });

  it("with JSPI, block returns a promise that settles at the deadline", async () => {
    const { clocks, fn } = makeHost({ canSuspend: true });
    const pollable = fn("wasi:clocks/monotonic-clock@0.2.12", "subscribeDuration")(10n) as { block(): unknown };
    const p = pollable.block() as Promise<void>;
    expect(p).toBeInstanceOf(Promise);
    clocks.advance(10n);
    await p;
  });

  it("system clock and wall clock agree", () => {
    const { fn } = makeHost();
    expect(fn("wasi:clocks/system-clock@0.3.0", "now")()).toEqual(fn("wasi:clocks/wall-clock@0.2.12", "now")());
  });
});

describe("wasi:random", () => {
  it("0.3 answers a max-len of u64::MAX with at most 1 MiB, not a crash", () => {
    const { fn } = makeHost();
    for (const f of ["getRandomBytes", "getInsecureRandomBytes"]) {
      const iface = f === "getRandomBytes" ? "wasi:random/random@0.3.0" : "wasi:random/insecure@0.3.0";
      expect((fn(iface, f)(2n ** 64n - 1n) as Uint8Array).length).toBe(1 << 20);
    }
  });

  it("returns the requested number of bytes and a fixed insecure seed", () => {
    const { fn } = makeHost();
    expect((fn("wasi:random/random@0.3.0", "getRandomBytes")(100_000n) as Uint8Array).length).toBe(100_000);
    expect(fn("wasi:random/insecure-seed@0.3.0", "getInsecureSeed")()).toEqual(fn("wasi:random/insecure-seed@0.2.12", "insecureSeed")());
  });
});

describe("resolve", () => {
  it("binds any compatible version and refuses others", () => {
    const { host } = makeHost();
    expect(host.resolve("wasi:cli/stdout@0.2.4")?.name).toBe("wasi:cli/stdout@0.2.12");
    expect(host.resolve("wasi:cli/stdout@0.3.0")?.name).toBe("wasi:cli/stdout@0.3.0");
    expect(host.resolve("wasi:http/types@0.3.0")?.name).toBe("wasi:http/types@0.3.0");
    expect(host.resolve("wasi:http/types@0.2.4")).toBeUndefined();
    expect(host.resolve("wasi:cli/stdout@0.4.0")).toBeUndefined();
  });
});

describe("packages", () => {
  /** The interfaces of a generated host world (its `ImportObject`), as the WIT declares them. */
  const worldInterfaces = (world: string) =>
    [...readFileSync(new URL(`./generated/${world}/${world}.d.ts`, import.meta.url), "utf8").matchAll(/^\s+'(wasi:[^']+)': typeof/gm)].map((m) => m[1]!);

  it("together serve exactly the interfaces of the host worlds, and name them without a run", () => {
    const world = [...worldInterfaces("host-p2"), ...worldInterfaces("host-p3")].sort();
    expect(world.length).toBeGreaterThan(40);
    expect(servedInterfaceNames()).toEqual(world);
    expect([...makeHost().host.interfaces.keys()].sort()).toEqual(world);
    expect(PACKAGES.flatMap((p) => p.interfaces).length).toBe(world.length);
  });

  it("declare suspending functions only of their own 0.2 interfaces, each one the interface serves", () => {
    const { host } = makeHost();
    const camel = (kebab: string) => kebab.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
    const declared = PACKAGES.flatMap((p) => Object.entries(p.suspending).map(([iface, names]) => ({ p, iface, names })));
    expect(declared.map((d) => d.iface).sort()).toEqual(["wasi:filesystem/types@0.2.12", "wasi:io/poll@0.2.12", "wasi:io/streams@0.2.12"]);
    for (const { p, iface, names } of declared) {
      expect(p.interfaces).toContain(iface);
      expect(suspendingFunctions(iface)).toEqual(names);
      const impl = host.interfaces.get(iface) as Record<string, { prototype?: Record<string, unknown> }>;
      for (const name of names) {
        const method = /^\[method\]([^.]+)\.(.+)$/.exec(name);
        const fn = method ? impl[camel(`-${method[1]!}`)]?.prototype?.[camel(method[2]!)] : impl[camel(name)];
        expect(typeof fn, `${iface}#${name}`).toBe("function");
      }
    }
  });
});
