/** The playground page: gallery + files | component + run panel | console. `#/conformance` opens the suite. */
import { useEffect, useState } from "react";
import { AuthoringPanel } from "../wit-editor/AuthoringPanel";
import { ConformancePage } from "../conformance/ConformancePage";
import { ConsoleView } from "../console/ConsoleView";
import { FilesPanel } from "../files/FilesPanel";
import { Gallery } from "../gallery/Gallery";
import { Inspector } from "../inspector/Inspector";
import { RunPanel } from "../run/RunPanel";
import { TimelinePanel } from "../timeline/TimelinePanel";
import { NetworkPanel } from "../network/NetworkPanel";
import { usePlayground } from "./usePlayground";
import { JCO_NEEDS_JSPI } from "../../base/jspi";

function useHashRoute(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return hash;
}

export function App() {
  const route = useHashRoute();
  return (
    <div className="app">
      <header>
        <h1>WASI Playground</h1>
        <nav>
          <a href="#/">Playground</a>
          <a href="#/conformance">Conformance</a>
        </nav>
      </header>
      {route.startsWith("#/conformance") ? <ConformancePage /> : <PlaygroundPage />}
    </div>
  );
}

function PlaygroundPage() {
  const pg = usePlayground();
  const [dragging, setDragging] = useState(false);

  return (
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
      <div className="left">
        <Gallery onLoad={(n, b) => void pg.load(n, b)} selected={pg.component?.name ?? null} />
        <FilesPanel />
      </div>
      <AuthoringPanel onBuilt={(n, b) => void pg.load(n, b)} />
      <div className="center">
        {pg.component ? (
          <>
            <Inspector component={pg.component} />
            <div className="engine-bar">
              <label>
                Engine{" "}
                <select data-testid="engine-select" value={pg.engine} onChange={(e) => pg.setEngine(e.target.value === "jco" ? "jco" : "cm")}>
                  <option value="cm">cm (our Component Model runtime)</option>
                  <option value="jco" disabled={!pg.jspi}>
                    jco (transpile, reference){pg.jspi ? "" : ": needs JSPI"}
                  </option>
                </select>
              </label>
              {!pg.jspi && (
                <p className="muted" data-testid="engine-note">
                  {JCO_NEEDS_JSPI}. engine/cm runs here, except components that block synchronously (WASI 0.2 calls that wait, stackful lifts).
                </p>
              )}
            </div>
            {pg.component.info && <RunPanel info={pg.component.info} running={pg.run.running} inspecting={pg.component.inspecting} onRun={(r) => void pg.start(r)} onCompare={pg.jspi ? (r) => void pg.compare(r) : undefined} onBackground={pg.background} onStop={pg.stop} />}
          </>
        ) : (
          <section className="welcome">
            <h2>Run WASI 0.3 components in your browser</h2>
            <p>Pick an example on the left, open a .wasm component, or drop one here.</p>
          </section>
        )}
        <NetworkPanel />
      </div>
      <ConsoleView model={pg.console} version={pg.consoleVersion} />
      <TimelinePanel session={pg.trace} />
    </main>
  );
}
