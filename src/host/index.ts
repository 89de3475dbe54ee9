/**
 * The virtualized WASI host for one run: every interface, 0.2 and 0.3, over one shared state.
 * Keys are full versioned interface names; engines match a guest's imports against them by semver.
 */
import { compatible, splitVersion } from "../base/semver";
import { createCliCtx, type CliCtx, type CliInit } from "./cli/ctx";
import { cliP2 } from "./cli/p2";
import { cliP3 } from "./cli/p3";
import { createTerminals, type TerminalFlags } from "./cli/terminal";
import { browserClocks, type ClocksCtx } from "./clocks/ctx";
import { clocksP2 } from "./clocks/p2";
import { clocksP3 } from "./clocks/p3";
import { createFsCtx, type Preopen } from "./filesystem/handle";
import { filesystemP2, filesystemP2Suspending } from "./filesystem/p2";
import { filesystemP3 } from "./filesystem/p3";
import type { BlockingCtx, Suspending } from "./io/ctx";
import { createIoP2, ioP2Suspending } from "./io/p2";
import { browserRandom, type RandomCtx } from "./random/ctx";
import { randomP2 } from "./random/p2";
import { randomP3 } from "./random/p3";
import { SocketsCtx } from "./sockets/ctx";
import { socketsP2 } from "./sockets/p2";
import { socketsP3 } from "./sockets/p3";

export { ExitSignal } from "./cli/ctx";
export type { OutputSink } from "./cli/ctx";
export type { Preopen } from "./filesystem/handle";
export { SocketsCtx } from "./sockets/ctx";

export type InterfaceImpl = Record<string, unknown>;

export interface HostInit {
  cli: CliInit;
  blocking: BlockingCtx;
  terminals?: TerminalFlags;
  clocks?: ClocksCtx;
  random?: RandomCtx;
  /** Directories the guest may touch (wasi:filesystem preopens); none by default. */
  preopens?: Preopen[];
  /** The run's place on the playground's network; by default a network of its own, no relay. */
  sockets?: SocketsCtx;
}

export interface Host {
  readonly cli: CliCtx;
  readonly sockets: SocketsCtx;
  /** Every interface this host serves, by full versioned name. */
  readonly interfaces: ReadonlyMap<string, InterfaceImpl>;
  /** The served interface a guest import (any compatible version) binds to, if any. */
  resolve(importName: string): { name: string; impl: InterfaceImpl } | undefined;
}

export function createHost(init: HostInit): Host {
  const cli = createCliCtx(init.cli);
  const clocks = init.clocks ?? browserClocks();
  const random = init.random ?? browserRandom();
  const terminals = createTerminals(init.terminals ?? { stdin: false, stdout: false, stderr: false });
  const io = createIoP2(init.blocking);
  const sockets = init.sockets ?? new SocketsCtx({ allow: [], component: "component" });
  const fs = createFsCtx(init.preopens ?? []);
  const all: Record<string, InterfaceImpl> = {
    ...io.interfaces,
    ...cliP2(cli, io, terminals),
    ...cliP3(cli, terminals),
    ...clocksP2(clocks, io),
    ...clocksP3(clocks),
    ...randomP2(random),
    ...randomP3(random),
    ...filesystemP2(fs, io, init.blocking),
    ...filesystemP3(fs),
    ...socketsP2(sockets, io),
    ...socketsP3(sockets),
  };
  const interfaces = new Map(Object.entries(all));
  return {
    cli,
    sockets,
    interfaces,
    resolve(importName) {
      const name = findCompatible(interfaces.keys(), importName);
      return name === undefined ? undefined : { name, impl: interfaces.get(name)! };
    },
  };
}

/** Every served function that may suspend the guest (0.2 calls that wait), by served interface. */
const SUSPENDING: Suspending = { ...ioP2Suspending, ...filesystemP2Suspending };

/**
 * The functions of the interface a guest import binds to that may suspend the guest, by WIT name
 * (`[method]descriptor.stat`). Engines with JSPI let exactly these return a Promise.
 */
export function suspendingFunctions(importName: string): readonly string[] {
  const served = servedInterfaceFor(importName);
  return served === null ? [] : (SUSPENDING[served] ?? []);
}

/** The served name a guest import binds to: same interface, semver-compatible version. */
function findCompatible(names: Iterable<string>, importName: string): string | undefined {
  const wanted = splitVersion(importName);
  for (const name of names) {
    const have = splitVersion(name);
    if (have.base === wanted.base && compatible(wanted.version, have.version)) return name;
  }
  return undefined;
}

let served: string[] | undefined;

/** The interface names this host serves, for messages and the inspector. */
export function servedInterfaceNames(): string[] {
  served ??= [
    ...createHost({
      cli: { args: [], env: [], stdin: new Uint8Array(), stdout: { write() {} }, stderr: { write() {} } },
      blocking: { canSuspend: false },
    }).interfaces.keys(),
  ].sort();
  return served;
}

/** Which served interface a guest import would bind to, without creating a run's host. */
export function servedInterfaceFor(importName: string): string | null {
  return findCompatible(servedInterfaceNames(), importName) ?? null;
}
