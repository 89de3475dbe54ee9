/**
 * The dock's state for the page (dockState.ts in React), saved to localStorage on every change,
 * and the calls panels and the app make on it: which panel an area shows, `show` one, sizes, folds.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { activePanel, parseDock, serializeDock, setCollapsed, setGroupSizes, showPanel, type DockState, type GroupSizes } from "./dockState";
import type { AreaId, PanelSpec } from "./registry";

export interface DockApi {
  state: DockState;
  panels: readonly PanelSpec[];
  /** The panel `area` shows (its selected tab), or null for an empty area. */
  active(area: AreaId): string | null;
  /**
   * Brings panel `id` into view: selects its tab and unfolds its area (e.g. opening a composition
   * example shows the Composition tab). Keyboard focus stays where it is.
   */
  show(id: string): void;
  setSizes(group: string, sizes: GroupSizes): void;
  setCollapsed(area: AreaId, collapsed: boolean): void;
  /** Takes a whole layout (a shared project's), checked against the panels that exist here as a saved one is. */
  replace(state: DockState): void;
  /** Counts `replace` calls: the dock resizes its groups when it changes. */
  restored: number;
}

const Ctx = createContext<DockApi | null>(null);

function load(key: string, panels: readonly PanelSpec[]): DockState {
  try {
    return parseDock(localStorage.getItem(key), panels);
  } catch {
    return parseDock(null, panels);
  }
}

export function DockProvider({ panels, storageKey, children }: { panels: readonly PanelSpec[]; storageKey: string; children: ReactNode }) {
  const [state, setState] = useState(() => load(storageKey, panels));
  useEffect(() => {
    try {
      localStorage.setItem(storageKey, serializeDock(state));
    } catch {
      // Storage unavailable (private mode): the layout lasts for this page only.
    }
  }, [storageKey, state]);
  const show = useCallback((id: string) => setState((s) => showPanel(s, panels, id)), [panels]);
  const setSizes = useCallback((group: string, sizes: GroupSizes) => setState((s) => setGroupSizes(s, group, sizes)), []);
  const collapse = useCallback((area: AreaId, collapsed: boolean) => setState((s) => setCollapsed(s, area, collapsed)), []);
  const [restored, setRestored] = useState(0);
  const replace = useCallback(
    (next: DockState) => {
      setState(parseDock(serializeDock(next), panels));
      setRestored((n) => n + 1);
    },
    [panels],
  );
  const value = useMemo<DockApi>(
    () => ({ state, panels, active: (area) => activePanel(state, panels, area), show, setSizes, setCollapsed: collapse, replace, restored }),
    [state, panels, show, setSizes, collapse, replace, restored],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useDock(): DockApi {
  const v = useContext(Ctx);
  if (!v) throw new Error("useDock() outside <DockProvider>");
  return v;
}
