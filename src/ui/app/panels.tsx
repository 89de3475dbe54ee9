/**
 * Every panel of the playground and where it sits in the dock (src/ui/layout). To add one (a
 * "Composition" or "HTTP" tab, "Learn"), add an entry here with its component; `useShowPanel()`
 * brings it forward from anywhere (e.g. when a composition example is opened). The tab order of
 * an area is the order here.
 */
import { CompositionPanel } from "../composition/CompositionPanel";
import type { CompositionApi } from "../composition/useComposition";
import { useDock, type DockApi } from "../layout/DockContext";
import type { DockPanel } from "../layout/Dock";
import { ConsoleView } from "../console/ConsoleView";
import { FilesPanel } from "../files/FilesPanel";
import { LearnPanel } from "../learn/LearnPanel";
import type { Learn } from "../learn/useLearn";
import { Gallery } from "../gallery/Gallery";
import { HttpPanel } from "../http/HttpPanel";
import { servesHttp } from "../http/serve";
import { Inspector } from "../inspector/Inspector";
import { NetworkPanel } from "../network/NetworkPanel";
import type { Theme } from "../theme/theme";
import type { Emphasis } from "../timeline/emphasis";
import { TIMELINE_PALETTES } from "../timeline/palette";
import { TimelinePanel } from "../timeline/TimelinePanel";
import { AuthoringPanel } from "../wit-editor/AuthoringPanel";
import type { Playground } from "./usePlayground";

/** What every panel is rendered with. */
export interface PanelContext {
  pg: Playground;
  dock: DockApi;
  /** The composition editor's state (the gallery opens examples into it, builds join its library). */
  composition: CompositionApi;
  theme: Theme;
  learn: Learn;
  /** What the timeline stresses (the open lesson's emphasis), if anything. */
  emphasis: Emphasis | undefined;
}

export const PANELS = [
  {
    id: "library",
    title: "Examples",
    area: "left",
    render: ({ pg, dock, composition }) => (
      <Gallery
        onLoad={(n, b) => void pg.load(n, b)}
        onOpenGraph={(group) => {
          dock.show("composition");
          void composition.openExample(group);
        }}
        selected={pg.component?.name ?? null}
      />
    ),
  },
  {
    id: "component",
    title: "Component",
    area: "centre",
    render: ({ pg }) =>
      pg.component ? (
        <Inspector component={pg.component} />
      ) : (
        <section className="welcome">
          <h2>Run WASI 0.3 components in your browser</h2>
          <p>Pick an example on the left (start with hello), open a .wasm component, or drop one here. Its imports, exports and WIT show here; Run is on the right, above the console.</p>
        </section>
      ),
  },
  {
    id: "write",
    title: "Write a component",
    area: "centre",
    render: ({ pg, composition }) => (
      <AuthoringPanel
        onBuilt={(n, b) => {
          void pg.load(n, b);
          void composition.addComponent(n, b, "authored");
        }}
        fault={pg.run.fault}
      />
    ),
  },
  {
    id: "composition",
    title: "Composition",
    area: "centre",
    render: ({ pg, dock, theme, composition }) => (
      <CompositionPanel
        api={composition}
        colorMode={theme}
        onRun={(n, b) => {
          void pg.load(n, b);
          dock.show("console");
        }}
      />
    ),
  },
  { id: "files", title: "Files", area: "centre", render: () => <FilesPanel /> },
  {
    id: "learn",
    title: "Learn",
    area: "centre",
    render: ({ learn }) => <LearnPanel learn={learn} />,
  },
  { id: "network", title: "Network", area: "centre", render: () => <NetworkPanel /> },
  { id: "http", title: "HTTP", area: "centre", render: ({ pg }) => <HttpPanel serving={pg.serving} previews={pg.previews} canServe={pg.component?.info ? servesHttp(pg.component.info) : false} /> },
  { id: "console", title: "Console", area: "right", render: ({ pg }) => <ConsoleView model={pg.console} version={pg.consoleVersion} /> },
  {
    id: "timeline",
    title: "Timeline",
    area: "bottom",
    render: ({ pg, dock, theme, emphasis }) => (
      <TimelinePanel session={pg.trace} open={!dock.state.collapsed.bottom} onOpenChange={(open) => dock.setCollapsed("bottom", !open)} palette={TIMELINE_PALETTES[theme]} emphasis={emphasis} />
    ),
  },
] as const satisfies readonly DockPanel<PanelContext>[];

export type PanelId = (typeof PANELS)[number]["id"];

/** Brings a panel forward (selects its tab, unfolds its area), with the id checked against this list. */
export function useShowPanel(): (id: PanelId) => void {
  return useDock().show;
}
