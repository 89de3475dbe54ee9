// Truncated and corrupted components fail with a DecodeError (or still decode), never with another
// exception and never slowly; what still decodes encodes back to the same AST or fails with an
// EncodeError. Deterministic: a fixed-seed PRNG picks the cuts and flips (FUZZ_ITERS and FUZZ_SEED
// make a long run, base/fuzz.fixture.ts).
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fuzzIterations, fuzzSeed, prng } from "../base/fuzz.fixture";
import { plainAst } from "./compare.fixture";
import { DecodeError, decode } from "./decode";
import { EncodeError, encode } from "./encode";

/** Decodes; returns "ok" or "decode-error"; anything else fails the test with the input's description. */
function attempt(bytes: Uint8Array, what: string): "ok" | "decode-error" {
  try {
    decode(bytes);
    return "ok";
  } catch (err) {
    if (!(err instanceof DecodeError)) throw new Error(`${what}: threw ${String(err)}`);
    if (err.message.includes("internal decoder error")) throw new Error(`${what}: ${err.message}`);
    if (err.offset < 0 || err.offset > bytes.length) throw new Error(`${what}: offset ${err.offset} outside the input`);
    return "decode-error";
  }
}

/**
 * Like {@link attempt}, and what decodes also encodes: back to the same AST, or refused with an
 * EncodeError that names why (the decoder does not check indices; the encoder does). Returns
 * "encode-error" for those.
 */
function roundTrip(bytes: Uint8Array, what: string): "ok" | "decode-error" | "encode-error" {
  if (attempt(bytes, what) === "decode-error") return "decode-error";
  const ast = decode(bytes);
  let out: Uint8Array;
  try {
    out = encode(ast);
  } catch (err) {
    if (!(err instanceof EncodeError) || err.message.startsWith("malformed AST")) throw new Error(`${what}: encode threw ${String(err)}`);
    return "encode-error";
  }
  expect(plainAst(decode(out), false), what).toEqual(plainAst(ast, false));
  return "ok";
}

// Many constructs at the component level, so flips land in what the decoder reads (not core code).
const DENSE = `(component $c
  (core module $m
    (memory (export "mem") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) unreachable)
    (func (export "cb") (param i32 i32 i32) (result i32) unreachable)
    (func (export "f") (param i32 i32) (result i32) unreachable))
  (core instance $i (instantiate $m))
  (alias core export $i "mem" (core memory $mem))
  (alias core export $i "realloc" (core func $realloc))
  (alias core export $i "cb" (core func $cb))
  (alias core export $i "f" (core func $f))
  (type $r (resource (rep i32)))
  (type $s (stream u8))
  (type $fu (future (result string (error u32))))
  (type $rec (record (field "a" u8) (field "b" (list string)) (field "c" (option (tuple u8 s64)))))
  (type $v (variant (case "x") (case "y" $rec) (case "z" (own $r))))
  (type (flags "a" "b" "c"))
  (type (enum "p" "q"))
  (type $inst (instance
    (export "res" (type (sub resource)))
    (core type (module (import "a" "b" (func (param i32))) (export "m" (memory 1))))
    (export "go" (func async (param "v" $v) (result (borrow $r))))))
  (import "wasi:io/poll@0.2.4" (instance $imp (type $inst)))
  (alias export $imp "go" (func $go))
  (core func (canon lower (func $go) async (memory $mem) (realloc $realloc)))
  (core func (canon task.return (result string) (memory $mem)))
  (core func (canon stream.read $s (memory $mem)))
  (core func (canon future.cancel-write $fu async))
  (core func (canon waitable-set.wait (memory $mem)))
  (core func (canon context.get i32 0))
  (core func (canon subtask.cancel async))
  (core func (canon thread.yield))
  (type $lifted (func async (param "x" string) (result string)))
  (func $run (type $lifted) (canon lift (core func $f) async (callback $cb) (memory $mem) (realloc $realloc)))
  (component $inner (import "x" (func)) (export "y" (func 0)))
  (instance $made (instantiate $inner (with "x" (func $run))))
  (export "wasi:cli/run@0.3.0" (instance $made))
  (export "run" (func $run)))`;

describe("truncated and corrupted input", () => {
  it("every truncation and every single-byte flip of a dense component", async () => {
    const bytes = await parse(DENSE);
    expect(roundTrip(bytes, "original")).toBe("ok");
    let errors = 0;
    for (let n = 0; n < bytes.length; n++) if (roundTrip(bytes.subarray(0, n), `truncated to ${n}`) === "decode-error") errors++;
    // Cutting between sections can leave a valid component; anywhere else must fail.
    expect(errors).toBeGreaterThan(bytes.length * 0.9);
    const rand = prng(fuzzSeed(7));
    const copy = new Uint8Array(bytes);
    const outcomes = { ok: 0, "decode-error": 0, "encode-error": 0 };
    const n = fuzzIterations(3000);
    for (let i = 0; i < n; i++) {
      const at = Math.floor(rand() * bytes.length);
      const value = Math.floor(rand() * 256);
      copy[at] = value;
      outcomes[roundTrip(copy, `byte ${at} set to 0x${value.toString(16)}`)]++;
      copy[at] = bytes[at]!;
    }
    // Many flips still decode (names, labels, indices); the encoder refuses those whose indices now point nowhere.
    expect(outcomes.ok).toBeGreaterThan(n / 6);
    expect(outcomes["encode-error"]).toBeGreaterThan(n / 150);
  }, 60_000);

  it("random truncations and flips of a real conformance component outside its core modules", () => {
    const path = new URL("../../../shared/conformance/component-model-async/streams/async-read-resource-stream.wasm", import.meta.url);
    const bytes = new Uint8Array(readFileSync(path));
    const ast = decode(bytes);
    // Component-level bytes: everything except core module payloads, which the decoder hands on unread.
    const moduleRanges = ast.definitions.flatMap((d) => (d.kind === "core module" ? [[d.offset, d.offset + d.bytes.length]] : []));
    const inModule = (i: number) => moduleRanges.some(([a, b]) => i >= a! && i < b!);
    const targets: number[] = [];
    for (let i = 0; i < bytes.length; i++) if (!inModule(i)) targets.push(i);
    expect(targets.length).toBeGreaterThan(1000);
    const rand = prng(fuzzSeed(11));
    for (let i = 0; i < fuzzIterations(1000); i++) {
      const n = targets[Math.floor(rand() * targets.length)]!;
      attempt(bytes.subarray(0, n), `truncated to ${n}`);
    }
    for (let i = 0; i < fuzzIterations(3000); i++) {
      const at = targets[Math.floor(rand() * targets.length)]!;
      const old = bytes[at]!;
      bytes[at] = Math.floor(rand() * 256);
      attempt(bytes, `byte ${at} set to 0x${bytes[at]!.toString(16)}`);
      bytes[at] = old;
    }
  });
});
