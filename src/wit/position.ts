/** Offsets in a text as 1-based lines and columns (the editor's and the diagnostics' positions). */
export function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}
