/**
 * The example components built from examples/ as a learning path (path.ts: sections in order, a
 * composition's parts under one entry, with a button that opens its ready graph in the composition
 * editor), plus opening a .wasm of your own.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { learningPath, type ExampleEntry, type PathPart } from "./path";

export function Gallery(props: { onLoad: (name: string, bytes: Uint8Array) => void; onOpenGraph: (group: string) => void; selected: string | null }) {
  const [examples, setExamples] = useState<ExampleEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const picker = useRef<HTMLInputElement>(null);
  const path = useMemo(() => (examples ? learningPath(examples) : []), [examples]);

  useEffect(() => {
    fetch("components/index.json")
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then((list: ExampleEntry[]) => setExamples(list))
      .catch((e: unknown) => setError(`Could not load the example list (${String(e)}). Run 'npm start' to build the examples.`));
  }, []);

  const open = async (ex: ExampleEntry) => {
    // By content: the server caches that name for good (index.json itself is revalidated).
    const r = await fetch(`components/${ex.sha256}.wasm`);
    if (!r.ok) return setError(`Could not load ${ex.file}: HTTP ${r.status}`);
    props.onLoad(ex.file, new Uint8Array(await r.arrayBuffer()));
  };

  const button = (ex: ExampleEntry, label: string, step?: number) => (
    <button className={props.selected === ex.file ? "selected" : ""} data-testid={`example-${ex.name}`} onClick={() => void open(ex)}>
      <strong>
        {step !== undefined && <span className="step">{step}</span>}
        {label}
      </strong>
      <span>{ex.description}</span>
    </button>
  );

  const part = (p: PathPart) =>
    p.runsAlone ? (
      button(p.entry, p.name)
    ) : (
      <div className="gallery-part" data-testid={`example-${p.entry.name}`} data-runnable="false">
        <strong>{p.name}</strong>
        <span>{p.entry.description}</span>
        <span className="needs">needs {p.needs.join(", ")}: runs inside the composition</span>
      </div>
    );

  return (
    <nav className="gallery" aria-label="Examples">
      <h2>Examples</h2>
      {error && <p className="error">{error}</p>}
      {!examples && !error && <p className="muted">Loading…</p>}
      {path.map((section) => (
        <section key={section.title} className="gallery-section" aria-label={section.title}>
          <h3>{section.title}</h3>
          <ul>
            {section.items.map((item) =>
              item.kind === "example" ? (
                <li key={item.entry.name}>{button(item.entry, item.entry.name, item.step)}</li>
              ) : (
                <li key={item.name}>
                  <details className="gallery-group" data-testid={`group-${item.name}`}>
                    <summary>
                      <strong>
                        <span className="step">{item.step}</span>
                        {item.name}
                      </strong>
                      <span>{item.description}</span>
                      <span className="muted">
                        a composition of {item.parts.length} parts
                      </span>
                    </summary>
                    <button className="gallery-open-graph" data-testid={`open-graph-${item.name}`} onClick={() => props.onOpenGraph(item.name)}>
                      Open the composition in the editor
                    </button>
                    <ul>
                      {item.parts.map((p) => (
                        <li key={p.entry.name}>{part(p)}</li>
                      ))}
                    </ul>
                  </details>
                </li>
              ),
            )}
          </ul>
        </section>
      ))}
      <h2>Your component</h2>
      <button data-testid="open-file" onClick={() => picker.current?.click()}>
        Open .wasm…
      </button>
      <input
        ref={picker}
        type="file"
        accept=".wasm,application/wasm"
        data-testid="file-input"
        hidden
        onChange={async (e) => {
          const f = e.target.files?.[0];
          if (f) props.onLoad(f.name, new Uint8Array(await f.arrayBuffer()));
          e.target.value = "";
        }}
      />
      <p className="muted">or drop a file anywhere on the page.</p>
    </nav>
  );
}
