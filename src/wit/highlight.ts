/**
 * Colour classes for WIT tokens, named after Monaco's standard token types so any theme colours
 * them: a name being defined is `type.identifier`, a package path `namespace`, gates `annotation`.
 * Works on one line at a time (context comes from earlier tokens on the same line).
 */
import type { Token } from "./lexer";

const DEFINERS: ReadonlySet<string> = new Set(["record", "variant", "enum", "flags", "resource", "type", "interface", "world"]);

export function tokenClasses(text: string, tokens: readonly Token[]): string[] {
  const src = (t: Token | undefined) => (t ? text.slice(t.start, t.end) : "");
  const significant = tokens.map((t, i) => ({ t, i })).filter(({ t }) => t.kind !== "ws" && t.kind !== "comment" && t.kind !== "doc");
  const prevOf = new Map<number, Token | undefined>();
  const nextOf = new Map<number, Token | undefined>();
  significant.forEach(({ i }, k) => {
    prevOf.set(i, significant[k - 1]?.t);
    nextOf.set(i, significant[k + 1]?.t);
  });
  return tokens.map((t, i) => {
    switch (t.kind) {
      case "ws":
        return "";
      case "comment":
        return "comment";
      case "doc":
        return "comment.doc";
      case "keyword":
        return "keyword";
      case "type":
        return "type";
      case "integer":
      case "version":
        return "number";
      case "string":
        return "string";
      case "gate":
        return "annotation";
      case "error":
        return "invalid";
      case "op": {
        const s = src(t);
        if ("{}()<>".includes(s)) return "delimiter.bracket";
        return s === "->" || s === "=" ? "operator" : "delimiter";
      }
      case "id": {
        const prev = prevOf.get(i);
        const next = nextOf.get(i);
        if (prev?.kind === "keyword" && DEFINERS.has(src(prev))) return "type.identifier";
        // `ns:pkg/iface`: the namespace and package parts (a plain `name: type` has a space after the colon).
        if (next && src(next) === ":" && next.start === t.end && nextOf.get(tokens.indexOf(next))?.start === next.end) return "namespace";
        if (prev && (src(prev) === ":" || src(prev) === "/") && prev.end === t.start && prevOf.get(tokens.indexOf(prev))?.end === prev.start) {
          return next && src(next) === "/" ? "namespace" : "identifier";
        }
        return "identifier";
      }
    }
  });
}
