/**
 * Sends any method, headers and body to the served component; shows the response as it streams,
 * with its timings. Enter in the method or path sends, Ctrl+Enter anywhere in the request.
 */
import type { PreviewClient } from "../../client/PreviewClient";
import { METHODS } from "./request";
import { formatBytes, formatMs, timingLine } from "./timings";
import { useHttpRequest, type ShownResponse } from "./useHttpRequest";

export function RequestPanel({ previews, previewId }: { previews: PreviewClient; previewId: string | null }) {
  const http = useHttpRequest(previews, previewId);
  const { draft, setDraft } = http;
  return (
    <section className="http-request" aria-label="Request">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void http.send();
        }}
        onKeyDown={(e) => {
          // Ctrl+Enter sends from the header and body boxes too (and is not the run panel's Run).
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            e.stopPropagation();
            void http.send();
          }
        }}
      >
        <div className="http-line">
          <input className="http-method" data-testid="http-method" list="http-methods" aria-label="Method" value={draft.method} onChange={(e) => setDraft({ ...draft, method: e.target.value })} />
          <datalist id="http-methods">
            {METHODS.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
          <input className="http-path" data-testid="http-path" aria-label="Path" placeholder="/path?query" value={draft.path} onChange={(e) => setDraft({ ...draft, path: e.target.value })} />
          <button type="submit" data-testid="http-send" disabled={!previewId} title="Send (Enter in the path, Ctrl+Enter anywhere in the request)">
            Send
          </button>
        </div>
        <label>
          Headers <span className="muted">Name: value per line</span>
          <textarea data-testid="http-headers" rows={2} value={draft.headers} onChange={(e) => setDraft({ ...draft, headers: e.target.value })} />
        </label>
        <label>
          Body
          <textarea data-testid="http-body" rows={2} value={draft.body} onChange={(e) => setDraft({ ...draft, body: e.target.value })} />
        </label>
        {http.errors.map((e) => (
          <p key={e} className="error" data-testid="http-error">
            {e}
          </p>
        ))}
      </form>
      {http.response && <ResponseView response={http.response} sending={http.sending} />}
    </section>
  );
}

function ResponseView({ response: r, sending }: { response: ShownResponse; sending: boolean }) {
  const t = r.timings;
  return (
    <div className="http-response" data-testid="http-response" aria-live="polite" aria-busy={sending}>
      <p className="http-status">
        <code>{r.request}</code> →{" "}
        {r.error ? (
          <span className="error">{r.error}</span>
        ) : (
          <strong data-testid="http-status" data-ok={r.status !== null && r.status < 400}>
            {r.status ?? "waiting…"}
          </strong>
        )}
      </p>
      {t && (
        <p className="http-timing" data-testid="http-timing">
          {timingLine(t)}
        </p>
      )}
      {t?.error && <p className="error">The body broke off: {t.error}</p>}
      {r.headers.length > 0 && (
        <details className="http-headers">
          <summary>{r.headers.length} headers</summary>
          <dl>
            {r.headers.map(([k, v], i) => (
              <div key={i}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
      <pre className="http-body" data-testid="http-response-body">
        {r.body.text}
        {r.body.hidden > 0 && <span className="muted">{`\n… ${formatBytes(r.body.hidden)} more not shown`}</span>}
      </pre>
      {t && t.chunks.length > 0 && (
        <details className="http-chunks">
          <summary>Each chunk</summary>
          <table data-testid="http-chunks">
            <thead>
              <tr>
                <th>#</th>
                <th>at</th>
                <th>after</th>
                <th>size</th>
              </tr>
            </thead>
            <tbody>
              {t.chunks.map((c, i) => (
                <tr key={i}>
                  <td>{i + 1}</td>
                  <td>{formatMs(c.atMs)}</td>
                  <td>{formatMs(c.gapMs)}</td>
                  <td>{formatBytes(c.bytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </div>
  );
}
