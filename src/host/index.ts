/**
 * The virtualized WASI host for one run: every interface, 0.2 and 0.3, over one shared state.
 * Keys are full versioned interface names; engines match a guest's imports against them by semver.
 */
import { compatible, splitVersion } from "../base/semver";
import { createCliCtx, type CliCtx, type CliInit } from "./cli/ctx";
import { cliPackage } from "./cli/package";
import { createTerminals, type TerminalFlags } from "./cli/terminal";
import { browserClocks, type ClocksCtx } from "./clocks/ctx";
import { clocksPackage } from "./clocks/package";
import { createFsCtx, type Preopen } from "./filesystem/handle";
import { filesystemPackage } from "./filesystem/package";
import { HttpCtx, type HttpVia } from "./http/ctx";
import { httpPackage } from "./http/package";
import type { BlockingCtx, Suspending } from "./io/ctx";
import { ioPackage } from "./io/package";
import { createIoP2 } from "./io/p2";
import { browserRandom, type RandomCtx } from "./random/ctx";
import { randomPackage } from "./random/package";
import { SocketsCtx } from "./sockets/ctx";
import { socketsPackage } from "./sockets/package";

export { ExitSignal } from "./cli/ctx";
export type { OutputSink } from "./cli/ctx";
export type { Preopen } from "./filesystem/handle";
export { SocketsCtx } from "./sockets/ctx";
export { HttpCtx } from "./http/ctx";
export type { HttpVia } from "./http/ctx";

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
  /** How wasi:http requests go out: over the network (HTTP/1.1, the default) or the browser's fetch. */
  http?: { via: HttpVia; fetch?: typeof fetch };
}

export interface Host {
  readonly cli: CliCtx;
  readonly sockets: SocketsCtx;
  readonly http: HttpCtx;
  /** Every interface this host serves, by full versioned name. */
  readonly interfaces: ReadonlyMap<string, InterfaceImpl>;
  /** The served interface a guest import (any compatible version) binds to, if any. */
  resolve(importName: string): { name: string; impl: InterfaceImpl } | undefined;
}

/** Every WASI package the host serves; a new one adds its descriptor here. */
export const PACKAGES = [ioPackage, cliPackage, clocksPackage, randomPackage, filesystemPackage, socketsPackage, httpPackage] as const;

export function createHost(init: HostInit): Host {
  const cli = createCliCtx(init.cli);
  const sockets = init.sockets ?? new SocketsCtx({ allow: [], component: "component" });
  const http = new HttpCtx({ sockets, via: init.http?.via, fetch: init.http?.fetch });
  /** The run's state: each package serves from the parts it names. */
  const run = {
    cli,
    terminals: createTerminals(init.terminals ?? { stdin: false, stdout: false, stderr: false }),
    clocks: init.clocks ?? browserClocks(),
    random: init.random ?? browserRandom(),
    blocking: init.blocking,
    io: createIoP2(init.blocking),
    fs: createFsCtx(init.preopens ?? []),
    sockets,
    http,
  };
  const interfaces = new Map<string, InterfaceImpl>(PACKAGES.flatMap((p) => Object.entries(p.serve(run))));
  return {
    cli,
    sockets,
    http,
    interfaces,
    resolve(importName) {
      const name = findCompatible(interfaces.keys(), importName);
      return name === undefined ? undefined : { name, impl: interfaces.get(name)! };
    },
  };
}

/** Every served function that may suspend the guest (0.2 calls that wait), by served interface. */
const SUSPENDING: Suspending = Object.fromEntries(PACKAGES.flatMap((p) => Object.entries(p.suspending)));

/** Every served interface name, sorted. */
const SERVED: readonly string[] = PACKAGES.flatMap((p) => p.interfaces).sort();

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

/** The interface names this host serves, for messages and the inspector. */
export function servedInterfaceNames(): string[] {
  return [...SERVED];
}

/** Which served interface a guest import would bind to, without creating a run's host. */
export function servedInterfaceFor(importName: string): string | null {
  return findCompatible(SERVED, importName) ?? null;
}
