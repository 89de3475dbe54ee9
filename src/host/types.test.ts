/**
 * `HostSide<T>`: the generated types as the host provides them. The type checker runs these
 * (`npx tsc -p .`): an assertion that stops holding, or an `@ts-expect-error` whose error goes
 * away, fails the check. The shapes below are what jco generates for WIT resources and functions.
 */
import { describe, expectTypeOf, it } from "vitest";
import type * as FsP2 from "./generated/host-p2/interfaces/wasi-filesystem-types.js";
import type * as FsP3 from "./generated/host-p3/interfaces/wasi-filesystem-types.js";
import type { Suspended } from "./io/ctx";
import type { LiftedByteStream } from "./streams";
import type { InterfaceName, P2, P3, PackageP3 } from "./types";

/** A resource without a WIT constructor (`private constructor`, as jco writes it). */
declare class Handle {
  private constructor();
  size(): bigint;
  open(name: string): Promise<Handle>;
  static create(name: string): Handle;
}

/** A resource with a WIT constructor. */
declare class Fields {
  constructor(entries: Array<[string, Uint8Array]>);
  has(name: string): boolean;
}

/** An interface's functions with stream<u8>, stream<string> and future<result>, as jco types them. */
interface Streams {
  readBytes: () => [AsyncIterable<number>, PromiseLike<{ tag: "ok"; val: void } | { tag: "err"; val: string }>];
  readNames: () => AsyncIterable<string>;
  writeBytes: (data: AsyncIterable<number>) => PromiseLike<{ tag: "ok"; val: void } | { tag: "err"; val: string }>;
}

describe("HostSide<T>", () => {
  it("lets a host class with a constructor of its own implement a resource jco gives none", () => {
    class HostHandle implements P3<Handle> {
      constructor(readonly bytes: Uint8Array) {}
      size(): bigint {
        return BigInt(this.bytes.length);
      }
      async open(): Promise<HostHandle> {
        return this;
      }
      static create(): HostHandle {
        return new HostHandle(new Uint8Array());
      }
    }
    expectTypeOf(HostHandle).toExtend<P3<typeof Handle>>();
    // A static function is part of the shape too.
    expectTypeOf<{ prototype: HostHandle }>().not.toExtend<P3<typeof Handle>>();
  });

  it("keeps a WIT constructor's parameters", () => {
    class HostFields implements P3<Fields> {
      constructor(readonly entries: Array<[string, Uint8Array]>) {}
      has(name: string): boolean {
        return this.entries.some(([n]) => n === name);
      }
    }
    class TakesNothing implements P3<Fields> {
      constructor(readonly size: bigint) {}
      has(): boolean {
        return false;
      }
    }
    expectTypeOf(HostFields).toExtend<P3<typeof Fields>>();
    expectTypeOf(TakesNothing).not.toExtend<P3<typeof Fields>>();
  });

  it("checks every method of a resource class", () => {
    // @ts-expect-error `open` is missing
    class Partial implements P3<Handle> {
      size(): bigint {
        return 0n;
      }
    }
    expectTypeOf<Partial>().not.toExtend<P3<Handle>>();
  });

  it("lets an async function answer at once or later", () => {
    expectTypeOf<ReturnType<P3<Handle>["open"]>>().toEqualTypeOf<P3<Handle> | Promise<P3<Handle>>>();
  });

  it("lets a 0.2 function answer later only through `suspend`", () => {
    type Stat = ReturnType<P2<FsP2.Descriptor>["stat"]>;
    expectTypeOf<Suspended<FsP2.DescriptorStat>>().toExtend<Stat>();
    expectTypeOf<Promise<FsP2.DescriptorStat>>().not.toExtend<Stat>();
    // 0.3 functions that are not async answer at once.
    expectTypeOf<Suspended<bigint>>().not.toExtend<ReturnType<P3<Handle>["size"]>>();
  });

  it("hands out streams as ReadableStreams (stream<u8> as byte chunks) and takes what engines lift", () => {
    type Host = P3<Streams>;
    expectTypeOf<[ReadableStream<Uint8Array>, Promise<{ tag: "ok"; val: undefined }>]>().toExtend<ReturnType<Host["readBytes"]>>();
    expectTypeOf<ReadableStream<string>>().toExtend<ReturnType<Host["readNames"]>>();
    expectTypeOf<ReadableStream<Uint8Array>>().not.toExtend<ReturnType<Host["readNames"]>>();
    expectTypeOf<Parameters<Host["writeBytes"]>[0]>().toEqualTypeOf<LiftedByteStream>();
  });

  it("types a package's interfaces by the generated worlds", () => {
    expectTypeOf<keyof PackageP3<"wasi:filesystem">>().toEqualTypeOf<"wasi:filesystem/types@0.3.0" | "wasi:filesystem/preopens@0.3.0">();
    expectTypeOf<"wasi:filesystem/types@0.3.0">().toExtend<InterfaceName>();
    expectTypeOf<"wasi:filesystem/types@0.4.0">().not.toExtend<InterfaceName>();
    expectTypeOf<ReturnType<PackageP3<"wasi:filesystem">["wasi:filesystem/types@0.3.0"]["Descriptor"]["prototype"]["openAt"]>>().toEqualTypeOf<
      P3<FsP3.Descriptor> | Promise<P3<FsP3.Descriptor>>
    >();
  });
});
