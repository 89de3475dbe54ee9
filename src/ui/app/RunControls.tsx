/**
 * The run controls, pinned above the console so Run and Stop stay in view whatever the workbench
 * shows: the engine, then the loaded component's run panel (src/ui/run).
 */
import { JCO_NEEDS_JSPI } from "../../base/jspi";
import { RunPanel } from "../run/RunPanel";
import { useShowPanel } from "./panels";
import type { Playground } from "./usePlayground";

/** The element the "Skip to Run" link falls back to when there is no Run button to focus. */
export const RUN_CONTROLS_ID = "run-controls";

export function RunControls({ pg }: { pg: Playground }) {
  const show = useShowPanel();
  const c = pg.component;
  if (!c) {
    return (
      <div className="run-controls" id={RUN_CONTROLS_ID} tabIndex={-1}>
        <h2>Run</h2>
        <p className="muted">Pick an example, open a .wasm or build one in “Write a component”: it runs from here, and prints in the console below.</p>
      </div>
    );
  }
  return (
    <div className="run-controls" id={RUN_CONTROLS_ID} tabIndex={-1}>
      <div className="engine-bar">
        <h2>
          Run <span className="muted">{c.name}</span>
        </h2>
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
      {pg.hold && (
        <p className="run-hold" data-testid="run-hold">
          {pg.hold}
        </p>
      )}
      {c.info ? (
        <RunPanel
          info={c.info}
          inputs={pg.inputs}
          onInputs={pg.setInputs}
          running={pg.run.running}
          blocked={c.inspecting || pg.hold !== null}
          onRun={(r) => void pg.start(r)}
          onCompare={pg.jspi ? (r) => void pg.compare(r) : undefined}
          onBackground={pg.background}
          onServe={(r) => {
            show("http");
            void pg.serve(r);
          }}
          onStop={pg.stop}
        />
      ) : (
        <p className="muted">{c.inspecting ? "Inspecting…" : "It cannot run here: the Component tab says why."}</p>
      )}
    </div>
  );
}
