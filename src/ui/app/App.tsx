/**
 * The page: a header (skip link, pages, the relay's state, the theme), then the playground in its
 * dock (panels.tsx lists what goes where) or, at `#/conformance`, the conformance suite.
 */
import { useEffect, useMemo, useRef, useState, type MouseEvent } from "react";
import { useComposition } from "../composition/useComposition";
import { ConformancePage } from "../conformance/ConformancePage";
import { timelineEmphasis } from "../learn/emphasis";
import { useLearn } from "../learn/useLearn";
import { Dock } from "../layout/Dock";
import { DockProvider, useDock } from "../layout/DockContext";
import { RelayIndicator } from "../network/RelayIndicator";
import { BackgroundRunsNotice } from "../share/BackgroundRunsNotice";
import { ShareProvider, useShareStart } from "../share/ShareContext";
import { ShareMenu } from "../share/ShareMenu";
import { ShareNotices } from "../share/ShareNotices";
import { useLayoutPart, usePlaygroundParts } from "../share/usePlaygroundParts";
import { useTheme } from "../theme/ThemeContext";
import { ThemeToggle } from "../theme/ThemeToggle";
import { PANELS, useShowPanel } from "./panels";
import { workbenchTabFor } from "./reveal";
import { RUN_CONTROLS_ID, RunControls } from "./RunControls";
import { usePlayground } from "./usePlayground";

const DOCK_KEY = "wasi-playground:dock";

function useHashRoute(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return hash;
}

/** The skip link: to the Run button when there is one to press, else to the run controls. */
function skipToRun(e: MouseEvent) {
  const controls = document.getElementById(RUN_CONTROLS_ID);
  const run = controls?.querySelector<HTMLButtonElement>('form [type="submit"]:not(:disabled)');
  const target = run ?? controls;
  if (!target) return;
  e.preventDefault();
  target.focus();
}

export function App() {
  return (
    <DockProvider panels={PANELS} storageKey={DOCK_KEY}>
      <ShareProvider embed={false}>
        <Page />
      </ShareProvider>
    </DockProvider>
  );
}

function Page() {
  const route = useHashRoute();
  const show = useShowPanel();
  const conformance = route.startsWith("#/conformance");
  return (
    <div className="app">
      <header className="app-header">
        {!conformance && (
          <a className="skip-link" href={`#${RUN_CONTROLS_ID}`} data-testid="skip-to-run" onClick={skipToRun}>
            Skip to Run
          </a>
        )}
        <h1>WASI Playground</h1>
        <nav aria-label="Pages">
          <a href="#/">Playground</a>
          <a href="#/learn" data-testid="nav-learn">
            Learn
          </a>
          <a href="#/conformance">Conformance</a>
        </nav>
        <span className="spacer" />
        {!conformance && <ShareMenu />}
        <RelayIndicator
          onOpen={() => {
            if (conformance) location.hash = "#/";
            show("network");
          }}
        />
        <ThemeToggle />
      </header>
      {conformance ? <ConformancePage /> : <PlaygroundPage route={route} />}
    </div>
  );
}

function PlaygroundPage({ route }: { route: string }) {
  const pg = usePlayground();
  const composition = useComposition();
  const dock = useDock();
  // The project a link carries is read from and restored into these seams (src/ui/share).
  usePlaygroundParts(pg);
  useLayoutPart();
  useShareStart();
  const { theme } = useTheme();
  const [dragging, setDragging] = useState(false);
  const learning = route.startsWith("#/learn");
  const learn = useLearn(pg, dock);
  const lessonEmphasis = learn.lesson.emphasis;
  const emphasis = useMemo(() => timelineEmphasis(lessonEmphasis), [lessonEmphasis]);

  // `#/learn` brings the Learn tab forward.
  const showPanel = dock.show;
  useEffect(() => {
    if (learning) showPanel("learn");
  }, [learning, showPanel]);

  // Once a component is inspected, bring forward the workbench tab it calls for (reveal.ts). Only
  // a new inspection moves tabs: the user's own choice of tab afterwards stands.
  const info = pg.component?.info ?? null;
  const latestDock = useRef(dock);
  latestDock.current = dock;
  useEffect(() => {
    const d = latestDock.current;
    const tab = workbenchTabFor(info, d.active("centre"));
    if (tab) d.show(tab);
  }, [info]);

  return (
    <>
      <ShareNotices />
      <BackgroundRunsNotice />
    <main
      className={`playground ${dragging ? "dragging" : ""}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={async (e) => {
        e.preventDefault();
        setDragging(false);
        const f = e.dataTransfer.files[0];
        if (f) await pg.load(f.name, new Uint8Array(await f.arrayBuffer()));
      }}
    >
      <Dock panels={PANELS} ctx={{ pg, dock, theme, composition, learn, emphasis: dock.active("centre") === "learn" ? emphasis : undefined }} runControls={<RunControls pg={pg} />} />
    </main>
    </>
  );
}
