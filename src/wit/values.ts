/**
 * Typed text arguments for exported functions, converted to the JS values engines pass
 * (jco's conventions: u64/s64 as bigint, list<u8> as Uint8Array, records as camelCase objects).
 */

export class ArgumentError extends Error {
  override name = "ArgumentError";
}

const INT_RANGES: Record<string, [number, number]> = {
  u8: [0, 255],
  u16: [0, 65535],
  u32: [0, 4294967295],
  s8: [-128, 127],
  s16: [-32768, 32767],
  s32: [-2147483648, 2147483647],
};

/** How a parameter of this type is entered in the form. */
export function inputHint(type: string): string {
  const t = type.replace(/\s+/g, "");
  if (t in INT_RANGES || t === "u64" || t === "s64") return "integer";
  if (t === "f32" || t === "f64") return "number";
  if (t === "bool") return "true or false";
  if (t === "string" || t === "char") return "text";
  if (t === "list<u8>" || t === "stream<u8>") return "text (sent as UTF-8 bytes)";
  return "JSON";
}

/** Parses `text` as a value of WIT type `type`; throws ArgumentError with a readable reason. */
export function parseArg(name: string, type: string, text: string): unknown {
  const t = type.replace(/\s+/g, "");
  const fail = (why: string): never => {
    throw new ArgumentError(`argument '${name}' (${type}): ${why}`);
  };
  const range = INT_RANGES[t];
  if (range) {
    if (!/^-?\d+$/.test(text.trim())) fail(`'${text}' is not an integer`);
    const n = Number(text.trim());
    if (n < range[0] || n > range[1]) fail(`${n} is out of range ${range[0]}..${range[1]}`);
    return n;
  }
  if (t === "u64" || t === "s64") {
    if (!/^-?\d+$/.test(text.trim())) fail(`'${text}' is not an integer`);
    const n = BigInt(text.trim());
    const ok = t === "u64" ? n >= 0n && n < 1n << 64n : n >= -(1n << 63n) && n < 1n << 63n;
    if (!ok) fail(`${n} is out of range for ${t}`);
    return n;
  }
  if (t === "f32" || t === "f64") {
    const n = Number(text.trim());
    if (text.trim() === "" || Number.isNaN(n)) fail(`'${text}' is not a number`);
    return n;
  }
  if (t === "bool") {
    if (text.trim() !== "true" && text.trim() !== "false") fail(`expected true or false, got '${text}'`);
    return text.trim() === "true";
  }
  if (t === "string") return text;
  if (t === "char") {
    if ([...text].length !== 1) fail("expected exactly one character");
    return text;
  }
  if (t === "list<u8>") return new TextEncoder().encode(text);
  if (t === "stream<u8>") {
    const bytes = new TextEncoder().encode(text);
    return new ReadableStream<Uint8Array>({
      start(controller) {
        if (bytes.length > 0) controller.enqueue(bytes);
        controller.close();
      },
    });
  }
  try {
    return JSON.parse(text);
  } catch {
    return fail(`'${text}' is not valid JSON`);
  }
}
