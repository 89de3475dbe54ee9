/**
 * The HTTP tab: the served component's preview and a request panel beside it, while a `serve` run
 * goes on (Serve in the run controls starts one; Stop ends it).
 */
import type { PreviewClient } from "../../client/PreviewClient";
import { PreviewPane } from "./PreviewPane";
import { RequestPanel } from "./RequestPanel";
import type { Serving } from "./serving";
import "./http.css";

export function HttpPanel({ serving, previews, canServe }: { serving: Serving | null; previews: PreviewClient; canServe: boolean }) {
  if (!serving) {
    return (
      <section className="http-panel http-idle" data-testid="http-idle">
        <h2>HTTP</h2>
        <p>
          {canServe
            ? "This component exports wasi:http/handler: press Serve in the run controls. Its pages show here, and a request panel sends it any method, headers and body."
            : "Load a component that exports wasi:http/handler (the http-hello example) and press Serve: it answers here, in a new tab, and to other components at http://localhost:8080/."}
        </p>
      </section>
    );
  }
  return (
    <div className="http-panel" data-testid="http-panel">
      <p className="http-summary">
        Serving <code>{serving.component}</code> ({serving.handler}){serving.listen && <> · components reach it at <code>http://{serving.listen}/</code></>}
      </p>
      {serving.preview && serving.previewId ? (
        <div className="http-split">
          <PreviewPane preview={serving.preview} />
          <RequestPanel previews={previews} previewId={serving.previewId} />
        </div>
      ) : (
        <p className="error">This browser has no Service Worker (a private window?), so the page cannot preview it; other components still reach it.</p>
      )}
    </div>
  );
}
