/** IP address text: parse and print IPv4 and IPv6 (RFC 5952 canonical form). */

export type Family = "ipv4" | "ipv6";
export type Ipv4Tuple = [number, number, number, number];
export type Ipv6Tuple = [number, number, number, number, number, number, number, number];

export function formatIpv4(t: readonly number[]): string {
  return t.join(".");
}

/** RFC 5952: lower case, the longest run (2+) of zero groups becomes `::`. */
export function formatIpv6(t: readonly number[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (t[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && t[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = t.map((g) => g.toString(16));
  if (best < 0) return hex.join(":");
  return `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLen).join(":")}`;
}

export function parseIpv4(text: string): Ipv4Tuple | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return parts as Ipv4Tuple;
}

export function parseIpv6(text: string): Ipv6Tuple | null {
  let s = text.toLowerCase();
  if (s.startsWith("[") && s.endsWith("]")) s = s.slice(1, -1);
  if (!/^[0-9a-f:.]+$/.test(s) || s.split("::").length > 2) return null;
  // A trailing dotted quad (e.g. ::ffff:1.2.3.4) is the last two groups.
  const lastColon = s.lastIndexOf(":");
  const tail = s.slice(lastColon + 1);
  if (tail.includes(".")) {
    const v4 = parseIpv4(tail);
    if (!v4) return null;
    s = `${s.slice(0, lastColon + 1)}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const [head, rest] = s.split("::") as [string, string | undefined];
  const groups = (g: string) => (g === "" ? [] : g.split(":"));
  const a = groups(head);
  const b = rest === undefined ? [] : groups(rest);
  const fill = 8 - a.length - b.length;
  if (rest === undefined ? fill !== 0 : fill < 1) return null;
  const all = [...a, ...Array<string>(rest === undefined ? 0 : fill).fill("0"), ...b];
  if (all.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return all.map((g) => parseInt(g, 16)) as Ipv6Tuple;
}

/** An IP literal's family and canonical text, or null when `text` is not one. */
export function parseIp(text: string): { family: Family; ip: string } | null {
  const v4 = parseIpv4(text);
  if (v4) return { family: "ipv4", ip: formatIpv4(v4) };
  const v6 = parseIpv6(text);
  if (v6) return { family: "ipv6", ip: formatIpv6(v6) };
  return null;
}
