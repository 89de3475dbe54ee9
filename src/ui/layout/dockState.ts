/**
 * The dock's state as data: the selected tab of each area, the sizes the user gave each resizable
 * group, and which areas are folded. Saved as JSON (localStorage); whatever is read back is checked
 * against the panels that exist now, so a renamed or removed panel falls back to the default.
 */
import { AREAS, panelsIn, type AreaId, type PanelSpec } from "./registry";

/** A resizable group's layout: panel id -> percentage of the group (what react-resizable-panels reports). */
export type GroupSizes = Record<string, number>;

export interface DockState {
  /** The selected panel of each area; an area not listed shows its first panel. */
  active: Partial<Record<AreaId, string>>;
  /** Each group's sizes as the user left them, by group id. */
  sizes: Record<string, GroupSizes>;
  /** Areas folded down to their header. */
  collapsed: Partial<Record<AreaId, boolean>>;
}

/** Bumped when the saved shape changes incompatibly; an older save is then ignored. */
export const DOCK_VERSION = 1;

export const EMPTY_DOCK: DockState = { active: {}, sizes: {}, collapsed: {} };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A saved state (or null, or anything else) as a valid state for `panels`. */
export function parseDock(text: string | null, panels: readonly PanelSpec[]): DockState {
  let raw: unknown;
  try {
    raw = text === null ? null : JSON.parse(text);
  } catch {
    return EMPTY_DOCK;
  }
  if (!isRecord(raw) || raw.version !== DOCK_VERSION) return EMPTY_DOCK;
  const active: DockState["active"] = {};
  const collapsed: DockState["collapsed"] = {};
  for (const area of AREAS) {
    const id = isRecord(raw.active) ? raw.active[area] : undefined;
    if (typeof id === "string" && panelsIn(panels, area).some((p) => p.id === id)) active[area] = id;
    if (isRecord(raw.collapsed) && raw.collapsed[area] === true) collapsed[area] = true;
  }
  const sizes: DockState["sizes"] = {};
  if (isRecord(raw.sizes)) {
    for (const [group, layout] of Object.entries(raw.sizes)) {
      const valid = validSizes(layout);
      if (valid) sizes[group] = valid;
    }
  }
  return { active, sizes, collapsed };
}

export function serializeDock(state: DockState): string {
  return JSON.stringify({ version: DOCK_VERSION, ...state });
}

/** Percentages that add up to about 100, or null. */
function validSizes(layout: unknown): GroupSizes | null {
  if (!isRecord(layout)) return null;
  const entries = Object.entries(layout);
  if (entries.length === 0 || !entries.every(([, v]) => typeof v === "number" && Number.isFinite(v) && v >= 0 && v <= 100)) return null;
  const total = entries.reduce((sum, [, v]) => sum + (v as number), 0);
  return Math.abs(total - 100) < 0.5 ? (Object.fromEntries(entries) as GroupSizes) : null;
}

/** The panel an area shows: its selected one, else its first; null for an empty area. */
export function activePanel(state: DockState, panels: readonly PanelSpec[], area: AreaId): string | null {
  const inArea = panelsIn(panels, area);
  const id = state.active[area];
  return inArea.find((p) => p.id === id)?.id ?? inArea[0]?.id ?? null;
}

/** Shows panel `id`: selects its tab and unfolds its area. An unknown id changes nothing. */
export function showPanel(state: DockState, panels: readonly PanelSpec[], id: string): DockState {
  const panel = panels.find((p) => p.id === id);
  if (!panel) return state;
  if (state.active[panel.area] === id && !state.collapsed[panel.area]) return state;
  return { ...state, active: { ...state.active, [panel.area]: id }, collapsed: { ...state.collapsed, [panel.area]: false } };
}

/** Records a group's sizes; invalid ones (not percentages adding up to 100) are ignored. */
export function setGroupSizes(state: DockState, group: string, layout: GroupSizes): DockState {
  const valid = validSizes(layout);
  return valid ? { ...state, sizes: { ...state.sizes, [group]: valid } } : state;
}

export function setCollapsed(state: DockState, area: AreaId, collapsed: boolean): DockState {
  if (Boolean(state.collapsed[area]) === collapsed) return state;
  return { ...state, collapsed: { ...state.collapsed, [area]: collapsed } };
}

/** The saved sizes of `group` if they are for exactly these panels (else the defaults apply). */
export function savedSizes(state: DockState, group: string, ids: readonly string[]): GroupSizes | undefined {
  const saved = state.sizes[group];
  if (!saved) return undefined;
  const keys = Object.keys(saved);
  return keys.length === ids.length && ids.every((id) => id in saved) ? saved : undefined;
}
