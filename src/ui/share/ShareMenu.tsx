/**
 * The header's Share button: copies the link to what the page shows and opens a menu with the
 * link, a short link (first when the link is long), the project as a file (download and open),
 * and the embed code.
 */
import { useEffect, useRef, useState } from "react";
import { embedSnippet, SHORT_LINK_ADVISED } from "../../share/link";
import { PROJECT_FILE_EXTENSION } from "../../share/project-file";
import { useShare } from "./ShareContext";
import type { MadeLink } from "./session";
import "./share.css";

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function ShareMenu() {
  const { session } = useShare();
  const [open, setOpen] = useState(false);
  const [made, setMade] = useState<MadeLink | { error: string } | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const [short, setShort] = useState<{ url: string } | { error: string } | "making" | null>(null);
  const menu = useRef<HTMLDivElement>(null);
  const picker = useRef<HTMLInputElement>(null);

  const share = async () => {
    setOpen(true);
    setMade(null);
    setShort(null);
    setCopied(null);
    const link = await session.link();
    setMade(link);
    if ("url" in link) setCopied((await copy(link.url)) ? "Link copied." : "Copy the link from the field (the browser did not allow copying).");
  };

  const makeShort = async () => {
    setShort("making");
    const s = await session.shortLink();
    setShort(s);
    if ("url" in s) setCopied((await copy(s.url)) ? "Short link copied." : "Copy the short link from the field.");
  };

  const download = async () => {
    const file = await session.projectFile();
    const url = URL.createObjectURL(new Blob([file.text], { type: "application/json" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = file.name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  // Escape or a click outside closes the menu.
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    const onDown = (e: PointerEvent) => {
      if (menu.current && !menu.current.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener("keydown", onKey);
    window.addEventListener("pointerdown", onDown);
    return () => {
      window.removeEventListener("keydown", onKey);
      window.removeEventListener("pointerdown", onDown);
    };
  }, [open]);

  const link = made && "url" in made ? made : null;
  const shortButton = (
    <button type="button" data-testid="share-make-short" disabled={short === "making"} onClick={() => void makeShort()}>
      {short === "making" ? "Making a short link…" : "Make a short link"}
    </button>
  );

  return (
    <div className="share" ref={menu}>
      <button type="button" className="share-button" data-testid="share" aria-expanded={open} aria-haspopup="dialog" onClick={() => (open ? setOpen(false) : void share())}>
        ⇪ Share
      </button>
      {open && (
        <div className="share-menu" role="dialog" aria-label="Share" data-testid="share-menu">
          {!made && <p className="muted">Making the link…</p>}
          {made && "error" in made && (
            <p className="error" data-testid="share-link-error">
              {made.error}
            </p>
          )}
          {link && (
            <>
              <label>
                Link to what you see <span className="muted">({link.length.toLocaleString("en")} characters)</span>
                <input readOnly data-testid="share-link" value={link.url} onFocus={(e) => e.target.select()} />
              </label>
              {link.long && (
                <p className="share-long" data-testid="share-long">
                  This link is longer than {SHORT_LINK_ADVISED.toLocaleString("en")} characters: some chats, forums and mail programs cut links that long. A short link keeps the project on this server instead.
                </p>
              )}
              {link.uploadError && (
                <p className="hint" data-testid="share-upload-error">
                  The component could not be put on the share store ({link.uploadError}): the link opens only in this browser. The project file below carries it.
                </p>
              )}
            </>
          )}
          {copied && (
            <p className="muted" role="status" data-testid="share-copied">
              {copied}
            </p>
          )}
          <div className="share-row">
            {link && (
              <button type="button" onClick={() => void copy(link.url).then((ok) => setCopied(ok ? "Link copied." : "Copy the link from the field."))}>
                Copy link
              </button>
            )}
            {link && shortButton}
          </div>
          {short && short !== "making" && "url" in short && (
            <label>
              Short link
              <input readOnly data-testid="share-short-link" value={short.url} onFocus={(e) => e.target.select()} />
            </label>
          )}
          {short && short !== "making" && "error" in short && (
            <p className="error" data-testid="share-short-error">
              {short.error}
            </p>
          )}
          <h3>Project file</h3>
          <p className="muted">The whole project in one file, its component included: it opens without any server.</p>
          <div className="share-row">
            <button type="button" data-testid="share-download" onClick={() => void download()}>
              Download project file
            </button>
            <button type="button" data-testid="share-import" onClick={() => picker.current?.click()}>
              Open project file…
            </button>
            <input
              ref={picker}
              type="file"
              hidden
              accept={`${PROJECT_FILE_EXTENSION},.json,application/json`}
              data-testid="share-import-input"
              onChange={(e) => {
                const f = e.target.files?.[0];
                e.target.value = "";
                if (f) {
                  setOpen(false);
                  void session.importFile(f);
                }
              }}
            />
          </div>
          {link && (
            <details>
              <summary>Embed in a page or post</summary>
              <textarea readOnly rows={4} data-testid="share-embed" value={embedSnippet(short && short !== "making" && "url" in short ? short.url : link.url, "WASI Playground")} onFocus={(e) => e.target.select()} />
            </details>
          )}
        </div>
      )}
    </div>
  );
}
