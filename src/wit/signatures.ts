/**
 * Reads a component's exported functions from its printed WIT (wasm-tools `component wit`).
 * Only what the run panel needs: names, asyncness, parameter and result types as text.
 */
import type { FuncInfo } from "../protocol/runtime";

/** Index just past the `}` matching the `{` at `open`. */
function matchBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i + 1;
  }
  return text.length;
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/[^\n]*/g, "");
}

/** Splits on commas not nested in <> or (). */
export function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const c of text) {
    if (c === "<" || c === "(") depth++;
    if (c === ">" || c === ")") depth--;
    if (c === "," && depth === 0) {
      if (cur.trim()) out.push(cur.trim());
      cur = "";
    } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

const FUNC = /^\s*(?:export\s+)?(%?[a-z][a-z0-9-]*)\s*:\s*(async\s+)?func\s*\(([\s\S]*?)\)\s*(?:->\s*([\s\S]+?))?\s*;\s*$/;

function parseFunc(stmt: string, iface: string | null): FuncInfo | null {
  const m = FUNC.exec(stmt);
  if (!m) return null;
  const params = splitTopLevel(m[3] ?? "").map((p) => {
    const colon = p.indexOf(":");
    return { name: p.slice(0, colon).trim().replace(/^%/, ""), type: p.slice(colon + 1).trim() };
  });
  return { iface, name: m[1]!.replace(/^%/, ""), isAsync: Boolean(m[2]), params, result: m[4]?.trim() ?? null };
}

/** Statements (`;`-terminated) at the top level of a `{}` body, skipping nested blocks. */
function statements(body: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === "{") {
      const end = matchBrace(body, i);
      cur = "";
      i = end - 1;
      continue;
    }
    cur += c;
    if (c === ";") {
      out.push(cur.trim());
      cur = "";
    }
  }
  return out;
}

/** `interface NAME { ... }` bodies, keyed by `ns:pkg/name@ver` where a package block names them. */
function interfaceBodies(text: string): Map<string, string> {
  const bodies = new Map<string, string>();
  const pkgRe = /package\s+([a-z0-9:-]+(?:@[^\s{;]+)?)\s*\{/g;
  const scan = (scope: string, pkg: string) => {
    const ifRe = /interface\s+(%?[a-z][a-z0-9-]*)\s*\{/g;
    let m: RegExpExecArray | null;
    while ((m = ifRe.exec(scope))) {
      const open = m.index + m[0].length - 1;
      const end = matchBrace(scope, open);
      const [ns, version] = pkg.split("@");
      const name = m[1]!.replace(/^%/, "");
      bodies.set(version ? `${ns}/${name}@${version}` : `${ns}/${name}`, scope.slice(open + 1, end - 1));
      ifRe.lastIndex = end;
    }
  };
  const top = /^\s*package\s+([a-z0-9:-]+(?:@[^\s;]+)?)\s*;/m.exec(text);
  let m: RegExpExecArray | null;
  let topText = text;
  while ((m = pkgRe.exec(text))) {
    const open = m.index + m[0].length - 1;
    const end = matchBrace(text, open);
    scan(text.slice(open + 1, end - 1), m[1]!);
    topText = topText.replace(text.slice(m.index, end), "");
    pkgRe.lastIndex = end;
  }
  if (top) scan(topText, top[1]!);
  return bodies;
}

export interface WorldExports {
  /** Every export name: functions by name, interfaces by their full name. */
  exports: string[];
  funcs: FuncInfo[];
}

/** Exports of the first world in `witText`. */
export function worldExports(witText: string): WorldExports {
  const text = stripComments(witText);
  const world = /world\s+%?[a-z][a-z0-9-]*\s*\{/.exec(text);
  if (!world) return { exports: [], funcs: [] };
  const open = world.index + world[0].length - 1;
  const body = text.slice(open + 1, matchBrace(text, open) - 1);
  const ifaces = interfaceBodies(text);
  const exports: string[] = [];
  const funcs: FuncInfo[] = [];
  for (const stmt of statements(body)) {
    if (!stmt.startsWith("export")) continue;
    const fn = parseFunc(stmt, null);
    if (fn) {
      exports.push(fn.name);
      funcs.push(fn);
      continue;
    }
    const name = /^export\s+([^\s;]+)\s*;/.exec(stmt)?.[1];
    if (!name) continue;
    exports.push(name);
    const ifaceBody = ifaces.get(name);
    if (!ifaceBody) continue;
    for (const s of statements(ifaceBody)) {
      const f = parseFunc(s, name);
      if (f) funcs.push(f);
    }
  }
  return { exports, funcs };
}

const MEMBER = /^\s*(%?[a-z][a-z0-9-]*)\s*:\s*(?:static\s+)?(async\s+)?(?:static\s+)?func\b/;

/**
 * Which functions of the interfaces defined in `witText` are `async func`, keyed
 * `ns:pkg/iface#func` and, for resource methods and static functions, `ns:pkg/iface#resource.func`
 * (no version: engines merge versions of one interface). Constructors are never async.
 */
export function funcAsyncness(witText: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const [name, body] of interfaceBodies(stripComments(witText))) {
    const iface = name.split("@")[0]!;
    const add = (prefix: string, stmts: string[]) => {
      for (const s of stmts) {
        const m = MEMBER.exec(s);
        if (m) out.set(`${iface}#${prefix}${m[1]!.replace(/^%/, "")}`, Boolean(m[2]));
      }
    };
    add("", statements(body));
    const resRe = /resource\s+(%?[a-z][a-z0-9-]*)\s*\{/g;
    let m: RegExpExecArray | null;
    while ((m = resRe.exec(body))) {
      const open = m.index + m[0].length - 1;
      const end = matchBrace(body, open);
      add(`${m[1]!.replace(/^%/, "")}.`, statements(body.slice(open + 1, end - 1)));
      resRe.lastIndex = end;
    }
  }
  return out;
}
