import { describe, expect, it } from "vitest";
import { DARK_TIMELINE, LIGHT_TIMELINE, TIMELINE_PALETTES, type TimelinePalette } from "./palette";

const COLOUR = /^(#[0-9a-f]{6}|rgba\(\d{1,3}, \d{1,3}, \d{1,3}, (0|1|0?\.\d+)\))$/;

/** Every colour of a palette, by its path (`spans.task`). */
function colours(p: TimelinePalette): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(p)) {
    if (typeof v === "string") out.set(k, v);
    else for (const [kk, vv] of Object.entries(v as Record<string, string>)) out.set(`${k}.${kk}`, vv);
  }
  return out;
}

/** Relative luminance of a #rrggbb colour (WCAG 2). */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

describe("timeline palettes", () => {
  it("name the same colours in both themes, each a colour the canvas takes", () => {
    const light = colours(LIGHT_TIMELINE);
    const dark = colours(DARK_TIMELINE);
    expect([...dark.keys()]).toEqual([...light.keys()]);
    for (const [k, v] of [...light, ...dark]) expect(v, k).toMatch(COLOUR);
  });

  it("draw dark on light and light on dark, with readable labels", () => {
    expect(luminance(LIGHT_TIMELINE.background)).toBeGreaterThan(0.8);
    expect(luminance(DARK_TIMELINE.background)).toBeLessThan(0.05);
    for (const p of [LIGHT_TIMELINE, DARK_TIMELINE]) {
      expect(contrast(p.barLabel, p.background)).toBeGreaterThan(7);
      expect(contrast(p.laneLabelText, p.laneLabel)).toBeGreaterThan(7);
      expect(contrast(p.axisText, p.axis)).toBeGreaterThan(4.5);
      expect(contrast(p.message, p.background)).toBeGreaterThan(4.5);
    }
  });

  it("are chosen by the page's theme", () => {
    expect(TIMELINE_PALETTES.light).toBe(LIGHT_TIMELINE);
    expect(TIMELINE_PALETTES.dark).toBe(DARK_TIMELINE);
  });
});
