/** Line access into a large text without splitting it: the offset where each line starts. */
export class LineIndex {
  readonly starts: Uint32Array;

  constructor(readonly text: string) {
    let count = 1;
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) count++;
    this.starts = new Uint32Array(count);
    let n = 1;
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.starts[n++] = i + 1;
  }

  get count(): number {
    return this.starts.length;
  }

  /** Line `i` (0-based) without its newline. */
  line(i: number): string {
    const start = this.starts[i] ?? this.text.length;
    const end = i + 1 < this.starts.length ? this.starts[i + 1]! - 1 : this.text.length;
    return this.text.slice(start, end);
  }
}

/** Which lines to draw for a scroll position: those in view plus `overscan` on each side. */
export function visibleRange(scrollTop: number, viewPx: number, linePx: number, count: number, overscan: number): { first: number; last: number } {
  const first = Math.max(0, Math.floor(scrollTop / linePx) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + viewPx) / linePx) + overscan);
  return { first, last };
}
