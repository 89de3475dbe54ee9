/**
 * The Network panel: the relay (status, address, policy), the allow-list runs get, components
 * running in the background, every socket in the playground (component, addresses, protocol,
 * state, bytes each way) and the connections that were denied.
 */
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { parseAllowList } from "../../base/allow-list";
import type { NetState, RelayStatus } from "../../protocol/net";
import { useNetwork } from "./NetworkContext";
import { RELAY_TEXT, useNetState } from "./useNetState";
import "./network.css";

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

export function NetworkPanel() {
  const state = useNetState();
  return (
    <section className="network-panel" aria-label="Network" data-testid="network-panel">
      <h2>Network</h2>
      <Relay status={state?.relay ?? null} />
      <AllowList />
      <ServiceList />
      <Sockets state={state} />
      <Denied state={state} />
    </section>
  );
}

function Relay({ status }: { status: RelayStatus | null }) {
  const { net, relayUrl, setRelayUrl, serverRelay } = useNetwork();
  const [draft, setDraft] = useState(relayUrl ?? "");
  useEffect(() => setDraft(relayUrl ?? ""), [relayUrl]);
  const state = status?.state ?? "none";
  const urlError = draft && !/^wss?:\/\/.+\/$/.test(draft) ? "A Wisp relay address looks like ws://host:port/ (with the trailing slash)." : null;
  return (
    <div className="net-relay">
      <p>
        Relay: <span className={`net-badge net-${state}`} data-testid="relay-state">{RELAY_TEXT[state]}</span>{" "}
        {status?.url && <code>{status.url}</code>}
        {status && status.state === "open" && <span className="muted"> · Wisp v{status.version} · {status.streams} streams</span>}
        {(state === "lost" || state === "unreachable" || state === "idle") && relayUrl && (
          <button type="button" data-testid="relay-reconnect" onClick={() => void net.reconnect()}>
            Reconnect
          </button>
        )}
      </p>
      {status?.detail && (
        <p className={state === "lost" || state === "unreachable" ? "net-alert" : "muted"} data-testid="relay-detail" role={state === "lost" ? "alert" : undefined}>
          {status.detail}
          {state === "lost" && status.aborted > 0 ? ` (${status.aborted} connection${status.aborted === 1 ? "" : "s"} aborted)` : ""}
        </p>
      )}
      {status && status.policy.length > 0 && (
        <details>
          <summary>The relay's policy</summary>
          <ul className="net-policy">
            {status.policy.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        </details>
      )}
      <form
        className="net-relay-url"
        onSubmit={(e) => {
          e.preventDefault();
          if (!urlError) setRelayUrl(draft.trim() || null);
        }}
      >
        <label>
          Relay address
          <input data-testid="relay-url" value={draft} placeholder={serverRelay?.url ?? "ws://127.0.0.1:PORT/"} onChange={(e) => setDraft(e.target.value)} />
        </label>
        <button type="submit" data-testid="relay-save" disabled={Boolean(urlError)}>
          Use
        </button>
        {serverRelay && relayUrl !== serverRelay.url && (
          <button type="button" data-testid="relay-default" onClick={() => setRelayUrl(null)}>
            Server's relay
          </button>
        )}
      </form>
      {urlError && <p className="error">{urlError}</p>}
    </div>
  );
}

function AllowList() {
  const { allowText, setAllowText } = useNetwork();
  const { entries, errors } = parseAllowList(allowText);
  return (
    <div className="net-allow">
      <label>
        Allow-list <span className="muted">HOST:PORT per line; runs may reach only these outside the playground</span>
        <textarea
          data-testid="allow-list"
          rows={3}
          spellCheck={false}
          placeholder={"example.com:443\n127.0.0.1:9000\n*.example.org:8000-8099"}
          value={allowText}
          onChange={(e) => setAllowText(e.target.value)}
        />
      </label>
      {errors.map((e) => (
        <p key={e} className="error" data-testid="allow-error">
          {e}
        </p>
      ))}
      <p className="muted">{entries.length === 0 ? "Nothing is allowed: every connection leaving the playground is denied." : `${entries.length} allowed; applies to runs started from now on.`}</p>
    </div>
  );
}

function ServiceList() {
  const { services } = useNetwork();
  useSyncExternalStore(
    (f) => services.subscribe(f),
    () => services.version,
  );
  if (services.list.length === 0) return null;
  return (
    <div className="net-services">
      <h3>Running in the background</h3>
      <ul>
        {services.list.map((s) => (
          <li key={s.id} data-testid="service" data-name={s.name}>
            <div className="net-service-head">
              <code>{[s.name, ...s.args].join(" ")}</code>
              <span className={s.running ? "net-badge net-open" : "net-badge net-idle"}>{s.running ? "running" : "ended"}</span>
              {s.running ? (
                <button type="button" data-testid="service-stop" onClick={() => services.stop(s.id)}>
                  Stop
                </button>
              ) : (
                <button type="button" data-testid="service-remove" onClick={() => services.remove(s.id)}>
                  Remove
                </button>
              )}
            </div>
            <ServiceOutput entries={s.console.entries} version={services.version} />
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A service's console, kept scrolled to its newest line. */
function ServiceOutput({ entries, version }: { entries: Array<{ kind: string; text: string }>; version: number }) {
  const ref = useRef<HTMLPreElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.scrollTop = ref.current.scrollHeight;
  }, [version]);
  return (
    <pre ref={ref} className="net-service-output" data-testid="service-output">
      {entries.map((e, i) => (
        <span key={i} className={`c-${e.kind}`}>
          {e.text}
        </span>
      ))}
    </pre>
  );
}

function Sockets({ state }: { state: NetState | null }) {
  const sockets = state?.sockets ?? [];
  return (
    <div className="net-sockets">
      <h3>Sockets</h3>
      {sockets.length === 0 ? (
        <p className="muted">No sockets yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>component</th>
              <th>proto</th>
              <th>local</th>
              <th>remote</th>
              <th>via</th>
              <th>state</th>
              <th>in</th>
              <th>out</th>
            </tr>
          </thead>
          <tbody>
            {sockets.map((s) => (
              <tr key={`${s.node}/${s.id}`} data-testid="net-socket" data-state={s.state} data-via={s.via ?? ""} className={s.state === "closed" ? "net-closed" : ""} title={s.error ?? undefined}>
                <td>{s.component}</td>
                <td>{s.proto}</td>
                <td>
                  <code>{s.local ?? "—"}</code>
                </td>
                <td>
                  <code>{s.remote ?? "—"}</code>
                </td>
                <td>{s.via ?? ""}</td>
                <td>
                  {s.state}
                  {s.error ? <span className="net-error"> · {s.error}</span> : null}
                </td>
                <td data-testid="bytes-in">{bytes(s.bytesIn)}</td>
                <td data-testid="bytes-out">{bytes(s.bytesOut)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Denied({ state }: { state: NetState | null }) {
  const denied = state?.denied ?? [];
  if (denied.length === 0) return null;
  return (
    <div className="net-denied">
      <h3>Denied</h3>
      <ul>
        {denied.map((d, i) => (
          <li key={`${d.at}-${i}`} data-testid="net-denied">
            <span className="muted">{new Date(d.at).toLocaleTimeString()}</span> <strong>{d.component}</strong> → <code>{d.target}</code> ({d.proto}): {d.reason}
          </li>
        ))}
      </ul>
    </div>
  );
}
