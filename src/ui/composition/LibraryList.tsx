/** The components to add instances of: the examples, files opened here, builds; each one button. */
import { useRef } from "react";
import type { CompositionApi } from "./useComposition";

export function LibraryList({ api }: { api: CompositionApi }) {
  const picker = useRef<HTMLInputElement>(null);
  const sections = api.library.sections();
  return (
    <div className="composition-library" data-version={api.libraryVersion}>
      {sections.map((s) => (
        <section key={s.origin} aria-label={s.title}>
          <h4>{s.title}</h4>
          <ul>
            {s.items.map((item) => (
              <li key={item.sha256}>
                <button type="button" data-testid={`library-add-${item.name}`} onClick={() => void api.addInstance(item.sha256)} title={`${item.description ?? item.name}\nsha256 ${item.sha256}`}>
                  + {item.group && item.part ? `${item.group}/${item.part}` : item.name.replace(/\.wasm$/, "")}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
      <button type="button" data-testid="composition-open-file" onClick={() => picker.current?.click()}>
        Add a .wasm to the library…
      </button>
      <input
        ref={picker}
        type="file"
        accept=".wasm,application/wasm"
        multiple
        hidden
        data-testid="composition-file-input"
        onChange={async (e) => {
          for (const f of e.target.files ?? []) await api.addComponent(f.name, new Uint8Array(await f.arrayBuffer()), "upload");
          e.target.value = "";
        }}
      />
    </div>
  );
}
