// For tests: small components written in component WAT (the tests turn them into bytes with jco's
// wasm-tools), each with a job in the composition tests, beside MATH_USER of
// src/component/constructs.fixture.ts (imports `local:demo/math@0.1.0`, exports `quad`).
// Synchronous lifts only, so engine/cm runs them in Node without JSPI. Resources: `counter()`
// defines one, `ops` uses an imported one, `counter-user` imports both interfaces, the second
// aliasing the first's resource (the resource rule's case).
import { Catalog, MemoryLibrary, type LibraryEntry } from "./catalog";

/** Exports interface `name` with `double: func(x: u32) -> u32` returning `x * factor`. */
export const provider = (name: string, factor = 2) => `(component
  (core module $m (func (export "double") (param i32) (result i32) (i32.mul (local.get 0) (i32.const ${factor}))))
  (core instance $i (instantiate $m))
  (func $double (param "x" u32) (result u32) (canon lift (core func $i "double")))
  (instance $math (export "double" (func $double)))
  (export "${name}" (instance $math)))`;

/** Imports `local:demo/math@0.1.0` and exports it again with `double(x) = imported double(x) + 1`. */
export const STEP = `(component
  (import "local:demo/math@0.1.0" (instance $in (export "double" (func (param "x" u32) (result u32)))))
  (alias export $in "double" (func $double))
  (core func $double (canon lower (func $double)))
  (core module $m
    (import "" "double" (func $d (param i32) (result i32)))
    (func (export "double") (param i32) (result i32) (i32.add (call $d (local.get 0)) (i32.const 1))))
  (core instance $i (instantiate $m (with "" (instance (export "double" (func $double))))))
  (func $out (param "x" u32) (result u32) (canon lift (core func $i "double")))
  (instance $math (export "double" (func $out)))
  (export "local:demo/math@0.1.0" (instance $math)))`;

/** Imports a math interface whose `double` has type `func` and exports it again unchanged (no core code). */
export const reexport = (func: string, name = "local:demo/math@0.1.0") => `(component
  (import "${name}" (instance $in (export "double" (func ${func}))))
  (export "${name}" (instance $in)))`;

/**
 * Defines resource `counter` and exports `local:demo/types` with its constructor and `get` (the
 * value given); with `peek`, also `local:demo/peek` (see {@link PEEK}).
 */
export const counter = (peek = false) => `(component
  (type $counter (resource (rep i32)))
  (core func $new (canon resource.new $counter))
  (core module $m
    (import "" "new" (func $new (param i32) (result i32)))
    (func (export "ctor") (param i32) (result i32) (call $new (local.get 0)))
    (func (export "get") (param i32) (result i32) (local.get 0)))
  (core instance $i (instantiate $m (with "" (instance (export "new" (func $new))))))
  (type $own (own $counter))
  (type $borrow (borrow $counter))
  (func $ctor (param "v" u32) (result $own) (canon lift (core func $i "ctor")))
  (func $get (param "self" $borrow) (result u32) (canon lift (core func $i "get")))
  (component $shim
    (import "import-type-counter" (type $c (sub resource)))
    (type $own (own $c))
    (type $borrow (borrow $c))
    (import "import-func-ctor" (func $ctor (param "v" u32) (result $own)))
    (import "import-func-get" (func $get (param "self" $borrow) (result u32)))
    (export $e "counter" (type $c))
    (type $own2 (own $e))
    (type $borrow2 (borrow $e))
    (export "[constructor]counter" (func $ctor) (func (param "v" u32) (result $own2)))
    (export "[method]counter.get" (func $get) (func (param "self" $borrow2) (result u32))))
  (instance $types (instantiate $shim (with "import-type-counter" (type $counter)) (with "import-func-ctor" (func $ctor)) (with "import-func-get" (func $get))))
  (export $exported "local:demo/types" (instance $types))${peek ? PEEK : ""})`;

/**
 * `local:demo/peek` of {@link counter}: `peek: func(self: borrow<counter>) -> u32` (the `get` method), without a `counter`
 * member of its own, so the resource is named only by the `local:demo/types` export before it.
 */
const PEEK = `
  (alias export $exported "counter" (type $named))
  (component $peek-shim
    (import "import-type-counter" (type $c (sub resource)))
    (type $b (borrow $c))
    (import "import-func-peek" (func $f (param "self" $b) (result u32)))
    (export "peek" (func $f)))
  (instance $peek (instantiate $peek-shim (with "import-type-counter" (type $named)) (with "import-func-peek" (func $get))))
  (export "local:demo/peek" (instance $peek))`;

/** Imports `local:demo/types` and exports `local:demo/ops` with `peek: func(c: borrow<counter>) -> u32` calling `get`. */
export const OPS = `(component
  (import "local:demo/types" (instance $types
    (export "counter" (type $c (sub resource)))
    (type $b (borrow $c))
    (export "[method]counter.get" (func (param "self" $b) (result u32)))))
  (alias export $types "counter" (type $counter))
  (alias export $types "[method]counter.get" (func $get))
  (core func $get (canon lower (func $get)))
  (core func $drop (canon resource.drop $counter))
  (core module $m
    (import "" "get" (func $get (param i32) (result i32)))
    (import "" "drop" (func $drop (param i32)))
    (func (export "peek") (param i32) (result i32) (local $v i32)
      (local.set $v (call $get (local.get 0)))
      (call $drop (local.get 0))
      (local.get $v)))
  (core instance $i (instantiate $m (with "" (instance (export "get" (func $get)) (export "drop" (func $drop))))))
  (type $b (borrow $counter))
  (func $peek (param "c" $b) (result u32) (canon lift (core func $i "peek")))
  (component $shim
    (import "import-type-counter" (type $c (sub resource)))
    (type $b (borrow $c))
    (import "import-func-peek" (func $peek (param "c" $b) (result u32)))
    (export $e "counter" (type $c))
    (type $b2 (borrow $e))
    (export "peek" (func $peek) (func (param "c" $b2) (result u32))))
  (instance $ops (instantiate $shim (with "import-type-counter" (type $counter)) (with "import-func-peek" (func $peek))))
  (export "local:demo/ops" (instance $ops)))`;

/** Imports `local:demo/types` and `local:demo/ops` (whose `counter` is the first's); `run` peeks at a new counter(41) and adds 1. */
export const COUNTER_USER = `(component $C
  (import "local:demo/types" (instance $types
    (export "counter" (type $c (sub resource)))
    (type $own (own $c))
    (export "[constructor]counter" (func (param "v" u32) (result $own)))))
  (alias export $types "counter" (type $counter))
  (import "local:demo/ops" (instance $ops
    (alias outer $C $counter (type $c))
    (export "counter" (type $e (eq $c)))
    (type $b (borrow $e))
    (export "peek" (func (param "c" $b) (result u32)))))
  (alias export $types "[constructor]counter" (func $ctor))
  (alias export $ops "peek" (func $peek))
  (core func $ctor (canon lower (func $ctor)))
  (core func $peek (canon lower (func $peek)))
  (core module $m
    (import "" "ctor" (func $ctor (param i32) (result i32)))
    (import "" "peek" (func $peek (param i32) (result i32)))
    (func (export "run") (result i32) (i32.add (call $peek (call $ctor (i32.const 41))) (i32.const 1))))
  (core instance $i (instantiate $m (with "" (instance (export "ctor" (func $ctor)) (export "peek" (func $peek))))))
  (func (export "run") (result u32) (canon lift (core func $i "run"))))`;

/** A library and catalog for tests, with `add(label, wat)` returning the entry; `parse` is wasm-tools' WAT parser. */
export function testLibrary(parse: (wat: string) => Promise<Uint8Array>) {
  const library = new MemoryLibrary();
  const catalog = new Catalog(library);
  const add = async (label: string, wat: string): Promise<LibraryEntry> => library.add(`${label}.wasm`, await parse(wat));
  return { library, catalog, add };
}
