/** Recognizes what a byte array is before anything tries to decode it, for clear messages. */

export type BinaryKind = "component" | "core-module" | "not-wasm" | "unknown-wasm-layer";

export function classifyBinary(bytes: Uint8Array): BinaryKind {
  if (bytes.length < 8 || bytes[0] !== 0x00 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) return "not-wasm";
  // Bytes 4-7: version (u16) then layer (u16). Core modules: version 1, layer 0; components: layer 1.
  const layer = bytes[6]! | (bytes[7]! << 8);
  if (layer === 0) return "core-module";
  if (layer === 1) return "component";
  return "unknown-wasm-layer";
}

/** A user-facing message for anything that is not a component, or null for a component. */
export function notAComponentMessage(name: string, bytes: Uint8Array): { message: string; hint: string } | null {
  switch (classifyBinary(bytes)) {
    case "component":
      return null;
    case "not-wasm":
      return {
        message: `'${name}' is not a WebAssembly file (it does not start with the \\0asm magic bytes).`,
        hint: "Choose a .wasm component, e.g. one built with componentize-qjs, cargo component or jco componentize.",
      };
    case "core-module":
      return {
        message: `'${name}' is a core WebAssembly module, not a component.`,
        hint: "Wrap it into a component first (wasm-tools component new, with a WASI adapter if it targets WASI preview 1).",
      };
    case "unknown-wasm-layer":
      return {
        message: `'${name}' is a WebAssembly binary of an unknown layer or version.`,
        hint: "It may come from a newer or older toolchain; rebuild it with a current one.",
      };
  }
}
