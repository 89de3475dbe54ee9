/**
 * jco's guest TypeScript (`jco guest-types`) adjusted to what componentize-qjs 0.4 really hands a
 * JS guest and accepts from it (measured on built components, see guest-types.test.ts and the
 * README's table): jco types u64/s64 as `bigint`, `option` none as `undefined` and numeric lists
 * as typed arrays; componentize-qjs uses `number` for every integer (exact up to 2^53), `null`
 * for none, and plain arrays for every list but `list<u8>` (Uint8Array) and `list<s8>` (Int8Array).
 */
import type { GeneratedFile } from "../protocol/authoring-api";

const HEADER = "// jco's guest types, adjusted to componentize-qjs: u64/s64 are numbers, option none is null, lists of numbers other than u8/s8 are arrays.\n";

const TYPED_ARRAYS = /\b(?:BigInt64Array|BigUint64Array|Int16Array|Int32Array|Uint16Array|Uint32Array|Float32Array|Float64Array)\b/g;

export function componentizeQjsGuestTypes(files: readonly GeneratedFile[]): GeneratedFile[] {
  return files.map((f) => ({
    name: f.name,
    text: HEADER + f.text.replace(/\bbigint\b/g, "number").replace(TYPED_ARRAYS, "Array<number>").replace(/\| undefined\b/g, "| null"),
  }));
}
