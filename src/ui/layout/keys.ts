/** Keyboard moves in the dock: between the tabs of a strip, and between areas. */

/**
 * The tab a key selects in a strip of `count` tabs from tab `index` (the WAI-ARIA tabs pattern:
 * arrows wrap around, Home and End go to the ends), or null when the key is not one of those.
 */
export function tabKeyTarget(key: string, index: number, count: number): number | null {
  if (count <= 0) return null;
  switch (key) {
    case "ArrowRight":
      return (index + 1) % count;
    case "ArrowLeft":
      return (index - 1 + count) % count;
    case "Home":
      return 0;
    case "End":
      return count - 1;
    default:
      return null;
  }
}

/**
 * The area F6 (or Shift+F6, `backwards`) moves focus to from `current`, in `order` and wrapping
 * around; from outside every area, the first (or the last).
 */
export function nextArea<A extends string>(order: readonly A[], current: A | null, backwards: boolean): A | null {
  if (order.length === 0) return null;
  const at = current === null ? -1 : order.indexOf(current);
  if (at < 0) return backwards ? order[order.length - 1]! : order[0]!;
  return order[(at + (backwards ? order.length - 1 : 1)) % order.length]!;
}
