/**
 * The playground's frame: the library on the left, the workbench in the centre, run controls over
 * the output on the right, the timeline below, in resizable groups (react-resizable-panels: a
 * separator drags, and takes the arrow keys once focused). Sizes the user sets, the selected tabs
 * and a folded timeline are kept by the DockContext. F6 and Shift+F6 move focus between areas.
 */
import { useEffect, useRef, type KeyboardEvent, type ReactNode } from "react";
import { Group, Panel, Separator, useGroupRef, usePanelRef, type Layout, type LayoutChangedMeta } from "react-resizable-panels";
import { useDock } from "./DockContext";
import { savedSizes } from "./dockState";
import { nextArea } from "./keys";
import { AREAS, panelsIn, type AreaId, type PanelSpec } from "./registry";
import { TabArea } from "./TabArea";
import "./dock.css";

export interface DockPanel<Ctx> extends PanelSpec {
  /** The panel's content; `ctx` is what the app hands every panel. */
  render(ctx: Ctx): ReactNode;
}

/** Where F6 goes, in order: the areas, with the run controls between the workbench and the output. */
const FOCUS_ORDER = [...AREAS.slice(0, 2), "run", ...AREAS.slice(2)] as const;

/** The bottom area folded: as tall as its panel's header row. */
const FOLDED = "2.6rem";

export function Dock<Ctx>({ panels, ctx, runControls }: { panels: readonly DockPanel<Ctx>[]; ctx: Ctx; runControls: ReactNode }) {
  const dock = useDock();
  const bottom = usePanelRef();
  const folded = Boolean(dock.state.collapsed.bottom);
  const groupRefs = { "dock-rows": useGroupRef(), "dock-columns": useGroupRef(), "dock-right": useGroupRef() };
  const groups = { "dock-rows": ["dock-main", "dock-bottom"], "dock-columns": ["dock-left", "dock-centre", "dock-right"], "dock-right": ["dock-run", "dock-output"] };
  type GroupId = keyof typeof groups;

  // A replaced layout (a shared project's) resizes the groups already on screen; saved sizes
  // otherwise apply when a group mounts (`defaultLayout`).
  const restored = dock.restored;
  const latest = useRef(dock.state);
  latest.current = dock.state;
  useEffect(() => {
    if (restored === 0) return;
    for (const id of Object.keys(groups) as GroupId[]) {
      // A folded timeline keeps its fold (the rows' sizes are for it unfolded).
      if (id === "dock-rows" && latest.current.collapsed.bottom) continue;
      const sizes = savedSizes(latest.current, id, groups[id]);
      if (sizes) groupRefs[id].current?.setLayout(sizes);
    }
    // groupRefs and groups are the same refs and lists every render.
  }, [restored]);

  // The fold is state (saved, and the timeline records only while unfolded); the panel follows it.
  useEffect(() => {
    const p = bottom.current;
    if (!p) return;
    if (folded && !p.isCollapsed()) p.collapse();
    else if (!folded && p.isCollapsed()) p.expand();
  }, [folded, bottom]);

  const area = (id: AreaId) => <TabArea area={id} panels={panelsIn(panels, id).map((p) => ({ ...p, content: p.render(ctx) }))} />;
  /** Props of a group whose sizes are saved (the user's own resizes only, as they asked for them). */
  const saved = (id: GroupId) => ({
    id,
    groupRef: groupRefs[id],
    defaultLayout: savedSizes(dock.state, id, groups[id]),
    onLayoutChanged: (layout: Layout, meta: LayoutChangedMeta) => {
      if (meta.isUserInteraction) dock.setSizes(id, meta.requestedLayout ?? layout);
    },
  });

  // F6 goes to the next area's selected tab, or to the first control it shows, or to the area.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== "F6") return;
    const cycle = FOCUS_ORDER.filter((a) => a === "run" || panelsIn(panels, a).length > 0);
    const here = (document.activeElement?.closest("[data-area]") as HTMLElement | null)?.dataset.area;
    const to = nextArea(cycle, cycle.find((a) => a === here) ?? null, e.shiftKey);
    const el = to && e.currentTarget.querySelector<HTMLElement>(`[data-area="${to}"]`);
    if (!el) return;
    e.preventDefault();
    const target =
      el.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]') ??
      [...el.querySelectorAll<HTMLElement>('button, [href], input, select, textarea, summary, [tabindex="0"]')].find((c) => c.checkVisibility() && !c.matches(":disabled")) ??
      el;
    target.focus();
  };

  return (
    <div className="dock" onKeyDown={onKeyDown}>
      <Group orientation="vertical" {...saved("dock-rows")}>
        <Panel id="dock-main" minSize="10rem">
          <Group orientation="horizontal" {...saved("dock-columns")}>
            <Panel id="dock-left" defaultSize="18%" minSize="10rem">
              {area("left")}
            </Panel>
            <Separator className="dock-separator" aria-label="Resize the library" />
            <Panel id="dock-centre" defaultSize="48%" minSize="18rem">
              {area("centre")}
            </Panel>
            <Separator className="dock-separator" aria-label="Resize the workbench and the output" />
            <Panel id="dock-right" defaultSize="34%" minSize="16rem">
              <Group orientation="vertical" {...saved("dock-right")}>
                <Panel id="dock-run" defaultSize="55%" minSize="5rem">
                  <section className="dock-area dock-area-run" data-area="run" aria-label="Run" tabIndex={-1}>
                    {runControls}
                  </section>
                </Panel>
                <Separator className="dock-separator" aria-label="Resize the run controls and the output" />
                <Panel id="dock-output" minSize="5rem">
                  {area("right")}
                </Panel>
              </Group>
            </Panel>
          </Group>
        </Panel>
        <Separator className="dock-separator" aria-label="Resize the timeline" />
        <Panel
          id="dock-bottom"
          panelRef={bottom}
          defaultSize="28%"
          minSize="8rem"
          collapsible
          collapsedSize={FOLDED}
          onResize={() => {
            const p = bottom.current;
            if (p && p.isCollapsed() !== folded) dock.setCollapsed("bottom", p.isCollapsed());
          }}
        >
          {area("bottom")}
        </Panel>
      </Group>
    </div>
  );
}
