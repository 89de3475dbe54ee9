/** Splits `ns:pkg/iface@1.2.3` into its unversioned name and version ('' when absent). */
export function splitVersion(name: string): { base: string; version: string } {
  const at = name.lastIndexOf("@");
  if (at <= 0) return { base: name, version: "" };
  return { base: name.slice(0, at), version: name.slice(at + 1) };
}

/**
 * Semver compatibility as the component model links imports: same major, and for 0.x the same
 * minor (0.2.4 and 0.2.12 are compatible, 0.2 and 0.3 are not). Pre-release tags must match exactly.
 */
export function compatible(wanted: string, provided: string): boolean {
  if (wanted === provided) return true;
  const a = parse(wanted);
  const b = parse(provided);
  if (!a || !b) return false;
  if (a.pre !== b.pre) return false;
  if (a.major !== b.major) return false;
  if (a.major === 0) return a.minor === b.minor;
  return true;
}

function parse(v: string): { major: number; minor: number; patch: number; pre: string } | null {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:-(.+))?$/.exec(v);
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), pre: m[4] ?? "" };
}
