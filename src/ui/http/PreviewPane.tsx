/** The served component in a frame, with an address bar (its path), reload and open in a new tab. */
import { useEffect, useRef, useState } from "react";
import { addressOf, previewUrl } from "./serve";

export function PreviewPane({ preview }: { preview: string }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [src, setSrc] = useState(preview);
  const [address, setAddress] = useState("/");
  const [reloads, setReloads] = useState(0);

  // A new served run starts at its root.
  useEffect(() => {
    setSrc(preview);
    setAddress("/");
  }, [preview]);

  return (
    <section className="http-preview" aria-label="Preview">
      <form
        className="http-line"
        onSubmit={(e) => {
          e.preventDefault();
          setSrc(previewUrl(preview, address));
          setReloads((n) => n + 1);
        }}
      >
        <button type="button" data-testid="preview-reload" title="Reload" aria-label="Reload" onClick={() => setReloads((n) => n + 1)}>
          ⟳
        </button>
        <input className="http-path" data-testid="preview-address" aria-label="Address" value={address} onChange={(e) => setAddress(e.target.value)} />
        <a data-testid="preview-open" href={previewUrl(preview, address)} target="_blank" rel="noopener">
          Open in new tab ↗
        </a>
      </form>
      <iframe
        key={reloads}
        ref={frame}
        data-testid="preview-frame"
        title="Preview of the served component"
        src={src}
        onLoad={() => {
          // Same origin: where links inside the preview led shows in the address bar.
          const loc = frame.current?.contentWindow?.location;
          if (loc && loc.pathname) setAddress(addressOf(loc.pathname + loc.search));
        }}
      />
    </section>
  );
}
