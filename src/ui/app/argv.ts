/** Splits a command line into arguments: whitespace separates, quotes group, backslash escapes. */
export function splitArgs(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quote: '"' | "'" | null = null;
  let has = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === "\\" && quote === '"' && i + 1 < line.length) cur += line[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (c === "\\" && i + 1 < line.length) {
      cur += line[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has || cur) out.push(cur);
      cur = "";
      has = false;
    } else cur += c;
  }
  if (has || cur) out.push(cur);
  return out;
}

/** Parses `KEY=VALUE` lines; blank lines and `#` comments are skipped. Returns errors by line. */
export function parseEnv(text: string): { env: Array<[string, string]>; errors: string[] } {
  const env: Array<[string, string]> = [];
  const errors: string[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const eq = line.indexOf("=");
    if (eq <= 0) errors.push(`env line ${i + 1}: expected KEY=VALUE, got '${line}'`);
    else env.push([line.slice(0, eq), line.slice(eq + 1)]);
  });
  return { env, errors };
}
