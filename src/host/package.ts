/**
 * A WASI package as the host serves it: the interfaces it serves (0.2 and 0.3, by full versioned
 * name), which of its 0.2 functions may suspend the guest, and how it makes its interface objects
 * for one run. `index.ts` assembles the host from these descriptors; each package folder declares
 * its own in `package.ts`.
 */
import type { Suspending } from "./io/ctx";
import type { InterfaceName, Served } from "./types";

export interface WasiPackage<N extends InterfaceName, Run> {
  /** Every interface it serves, both worlds. */
  readonly interfaces: readonly N[];
  /** Its 0.2 functions that may suspend the guest through JSPI, by interface and WIT name. */
  readonly suspending: Suspending;
  /**
   * Its interface objects for one run, over the parts of the run's state it uses: exactly the
   * interfaces it names, each as the generated types require.
   */
  serve(run: Run): { [I in NoInfer<N>]: Served[I] } & { [I in Exclude<InterfaceName, NoInfer<N>>]?: never };
}

/** Declares a package: `interfaces` names what `serve` must return. */
export function wasiPackage<const N extends InterfaceName, Run>(pkg: WasiPackage<N, Run>): WasiPackage<N, Run> {
  return pkg;
}

/** The full names of a package's interfaces at one version: `interfacesAt("wasi:cli", "0.3.0", ["exit"])`. */
export function interfacesAt<const P extends string, const V extends string, const I extends string>(pkg: P, version: V, names: readonly I[]): `${P}/${I}@${V}`[] {
  return names.map((name) => `${pkg}/${name}@${version}` as const);
}
