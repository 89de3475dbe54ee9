/** Example components built from examples/ at build time, plus opening a .wasm of your own. */
import { useEffect, useRef, useState } from "react";

export interface ExampleEntry {
  name: string;
  file: string;
  description: string;
  size: number;
  sha256: string;
}

export function Gallery(props: { onLoad: (name: string, bytes: Uint8Array) => void; selected: string | null }) {
  const [examples, setExamples] = useState<ExampleEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const picker = useRef<HTMLInputElement>(null);

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

  return (
    <nav className="gallery" aria-label="Examples">
      <h2>Examples</h2>
      {error && <p className="error">{error}</p>}
      {!examples && !error && <p className="muted">Loading…</p>}
      <ul>
        {examples?.map((ex) => (
          <li key={ex.name}>
            <button className={props.selected === ex.file ? "selected" : ""} data-testid={`example-${ex.name}`} onClick={() => void open(ex)}>
              <strong>{ex.name}</strong>
              <span>{ex.description}</span>
            </button>
          </li>
        ))}
      </ul>
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
