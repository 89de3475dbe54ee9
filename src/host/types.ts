/**
 * The host's side of the WIT-generated types. `generated/` holds jco's types of each interface the
 * host serves; `HostSide<T, World>` maps one of them to what the host provides for it, as the
 * engines call and take it:
 * - a resource class keeps its methods, static functions and public constructor; the private
 *   constructor jco declares for a resource without one is dropped, so the host's class (which has
 *   a constructor of its own) fits;
 * - a `stream<T>` the host returns is a `HostStream` (ReadableStream), one it receives a
 *   `LiftedStream` (what the engines lift); a `future<T>` is a PromiseLike either way;
 * - an `async func` (0.3) answers at once or with a Promise; a 0.2 function answers at once or, where
 *   it may wait, with a `Suspended` Promise (JSPI).
 *
 * Each package's interface objects `satisfies` its part of the worlds (`PackageP3<"wasi:cli">`) and
 * each resource class `implements` its resource (`class Descriptor implements P3<Types.Descriptor>`).
 */
import type { ImportObject as WorldP2 } from "./generated/host-p2/host-p2.js";
import type { ImportObject as WorldP3 } from "./generated/host-p3/host-p3.js";
import type { Suspendable } from "./io/ctx";
import type { HostStream, LiftedStream } from "./streams";

type World = "p2" | "p3";
/** Which way a value crosses: to the host (a parameter) or from it (a result). */
type Way = "in" | "out";

/** A generated type as the host provides (`out`) or receives (`in`) it in one world. */
export type HostSide<T, W extends World, D extends Way = "out"> = T extends ArrayBufferView
  ? T
  : T extends (...args: infer A) => infer R
    ? HostFunction<A, R, W>
    : T extends abstract new (...args: infer A) => infer I
      ? Members<T, W, D> & (new (...args: Args<A, W>) => HostSide<I, W>)
      : T extends AsyncIterable<infer E>
        ? D extends "in"
          ? LiftedStream<HostSide<E, W, D>>
          : HostStream<HostSide<E, W, D>>
        : T extends PromiseLike<infer V>
          ? PromiseLike<HostSide<V, W, D>>
          : T extends object
            ? Members<T, W, D>
            : T;

/** Records, tuples, lists, interface namespaces, resource instances (and a class's `prototype`). */
type Members<T, W extends World, D extends Way> = { [K in keyof T]: HostSide<T[K], W, D> };

type Args<A extends unknown[], W extends World> = { [K in keyof A]: HostSide<A[K], W, "in"> };

/**
 * Parameters are compared both ways, as for methods: a resource the guest passes back is the
 * host's own object, which has more than the generated shape.
 */
type HostFunction<A extends unknown[], R, W extends World> = { method(...args: Args<A, W>): Answer<R, W> }["method"];

type Answer<R, W extends World> = [R] extends [Promise<infer V>]
  ? HostSide<V, W> | Promise<HostSide<V, W>>
  : W extends "p2"
    ? Suspendable<HostSide<R, W>>
    : HostSide<R, W>;

/** A generated 0.2 type as the host provides it (`implements P2<Streams.InputStream>`). */
export type P2<T> = HostSide<T, "p2">;
/** A generated 0.3 type as the host provides it (`implements P3<Types.Descriptor>`). */
export type P3<T> = HostSide<T, "p3">;

/** Every 0.2 interface the host serves, by full versioned name. */
export type HostP2 = { [N in keyof WorldP2]: P2<WorldP2[N]> };
/** Every 0.3 interface the host serves, by full versioned name. */
export type HostP3 = { [N in keyof WorldP3]: P3<WorldP3[N]> };

/** One package's 0.2 interfaces: what its `p2.ts` serves (`PackageP2<"wasi:cli">`). */
export type PackageP2<P extends string> = Pick<HostP2, Extract<keyof HostP2, `${P}/${string}`>>;
/** One package's 0.3 interfaces: what its `p3.ts` serves (`PackageP3<"wasi:cli">`). */
export type PackageP3<P extends string> = Pick<HostP3, Extract<keyof HostP3, `${P}/${string}`>>;

/** Every interface the host serves, both worlds. */
export type Served = HostP2 & HostP3;
export type InterfaceName = keyof Served;
