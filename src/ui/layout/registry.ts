/**
 * What the dock knows of a panel: an id, a tab title and the area it lives in. The app's panel
 * list (`app/panels.tsx`) adds how each one renders; the dock needs nothing else.
 */

/** The dock's areas: the library, the work in the middle, output on the right, the timeline below. */
export const AREAS = ["left", "centre", "right", "bottom"] as const;
export type AreaId = (typeof AREAS)[number];

export interface PanelSpec<Id extends string = string> {
  /** Stable: it keys the saved layout and the tab's test id (`tab-ID`). */
  id: Id;
  /** The tab's label. */
  title: string;
  area: AreaId;
}

/** The panels of one area, in the order they were listed (their tab order). */
export function panelsIn<P extends PanelSpec>(panels: readonly P[], area: AreaId): P[] {
  return panels.filter((p) => p.area === area);
}
