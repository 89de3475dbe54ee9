/** A component at a glance: size, imports (and whether the host serves them), exports, WIT, producers, WAT. */
import type { LoadedComponent } from "../app/usePlayground";
import { ComponentExtras } from "./ComponentExtras";

export function Inspector({ component }: { component: LoadedComponent }) {
  const { info, error } = component;
  return (
    <section className="inspector" aria-label="Component">
      <h2>
        {component.name} <span className="muted">{(component.bytes.length / 1024).toFixed(1)} KiB</span>
      </h2>
      {component.inspecting && <p className="muted">Inspecting…</p>}
      {error && (
        <div className="error" role="alert" data-testid="load-error">
          <p>{error.message}</p>
          {error.hint && <p className="hint">{error.hint}</p>}
        </div>
      )}
      {info && (
        <>
          <div className="columns">
            <div>
              <h3>Imports ({info.imports.length})</h3>
              <ul className="imports" data-testid="imports">
                {info.imports.map((i) => (
                  <li key={i.name} className={i.providedBy ? "ok" : "missing"} title={i.providedBy ? `served by ${i.providedBy}` : "the host does not provide this"}>
                    {i.providedBy ? "✓" : "✗"} {i.name}
                  </li>
                ))}
              </ul>
            </div>
            <div>
              <h3>Exports ({info.exports.length})</h3>
              <ul data-testid="exports">
                {info.exports.map((e) => (
                  <li key={e}>{e}</li>
                ))}
              </ul>
            </div>
          </div>
          {info.imports.some((i) => !i.providedBy) && (
            <p className="error" role="alert" data-testid="missing-imports">
              This component imports {info.imports.filter((i) => !i.providedBy).map((i) => i.name).join(", ")}, which the host does not provide; it
              cannot run here yet.
            </p>
          )}
          <details>
            <summary>WIT</summary>
            <pre className="wit" data-testid="wit">
              {info.wit}
            </pre>
          </details>
          <ComponentExtras name={component.name} bytes={component.bytes} />
        </>
      )}
    </section>
  );
}
