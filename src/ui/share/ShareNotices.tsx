/**
 * What opening a project has to say, above the playground: a link that cannot be opened (nothing
 * changed), a component to upload, the capabilities a link proposes (runs wait until the user
 * decides), what it replaced, and background runs a reload stopped.
 */
import { useRef } from "react";
import { formatBytes } from "../../protocol/share-api";
import type { CapabilityDiff } from "../../share/capabilities";
import { useShare } from "./ShareContext";
import "./share.css";

/** What a project asks for beyond what the page allows (the rest it shares with the page is not listed). */
function CapabilityList({ caps }: { caps: CapabilityDiff }) {
  return (
    <dl className="share-caps" data-testid="share-caps">
      <dt>Files</dt>
      <dd data-testid="share-cap-files">{caps.preopens.length === 0 ? "nothing new" : caps.preopens.map((p) => `your workspace folder "${p.workspace}" as ${p.guestPath} (read and write)`).join("; ")}</dd>
      <dt>Network</dt>
      <dd data-testid="share-cap-network">
        {caps.allow.length === 0 ? (
          "nothing new"
        ) : (
          <>
            {caps.allow.map((a) => (
              <code key={a}>{a}</code>
            ))}{" "}
            <span className="muted">(the Network panel's allow-list becomes the project's; connections go through the relay)</span>
          </>
        )}
      </dd>
      <dt>Environment</dt>
      <dd data-testid="share-cap-env">{caps.env.length === 0 ? "nothing new" : caps.env.map((line) => <code key={line}>{line}</code>)}</dd>
    </dl>
  );
}

export function ShareNotices() {
  const { session, view } = useShare();
  const upload = useRef<HTMLInputElement>(null);
  const { review, missing } = view;
  return (
    <div className="share-notices">
      {view.busy && (
        <p className="share-notice" role="status" data-testid="share-busy">
          {view.busy}
        </p>
      )}
      {view.error && (
        <div className="share-notice share-error" role="alert" data-testid="share-error">
          <span>{view.error}</span>
          <button type="button" onClick={() => session.dismiss("error")}>
            Dismiss
          </button>
        </div>
      )}
      {missing && (
        <div className="share-notice share-warn" role="alert" data-testid="share-missing">
          <span>
            This {missing.source} needs <strong>{missing.name}</strong> ({formatBytes(missing.size)}, sha256 <code>{missing.sha256}</code>), which neither this browser nor the share store has. Nothing was changed. If you have the file, choose it: it is used if its sha256 matches, and put on the share store for the next person.
          </span>
          <button type="button" data-testid="share-missing-upload" onClick={() => upload.current?.click()}>
            Choose {missing.name}…
          </button>
          <button type="button" onClick={() => session.cancelMissing()}>
            Don't open
          </button>
          <input
            ref={upload}
            type="file"
            hidden
            data-testid="share-missing-input"
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = "";
              if (f) void session.provideMissing(f);
            }}
          />
        </div>
      )}
      {review && (
        <section className="share-notice share-review" role="alertdialog" aria-label="Capabilities this project asks for" data-testid="share-review">
          <p>
            <strong>This {review.source} asks for capabilities for its runs.</strong> Nothing runs until you decide: allow them, or run without them.
          </p>
          <CapabilityList caps={review.caps} />
          <div className="share-row">
            <button type="button" className="primary" data-testid="share-allow" onClick={() => void session.accept()}>
              Allow and continue
            </button>
            <button type="button" data-testid="share-decline" onClick={() => void session.decline()}>
              Run without them
            </button>
          </div>
        </section>
      )}
      {view.replaced && (
        <div className="share-notice" role="status" data-testid="share-replaced">
          <span>The shared project replaced what you had open; that is kept.</span>
          <button type="button" data-testid="share-restore-previous" onClick={() => void session.restorePrevious()}>
            Bring mine back
          </button>
          <button type="button" onClick={() => session.dismiss("replaced")}>
            Dismiss
          </button>
        </div>
      )}
      {view.notice && (
        <div className="share-notice" role="status" data-testid="share-notice">
          <span>{view.notice}</span>
          <button type="button" onClick={() => session.dismiss("notice")}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}
