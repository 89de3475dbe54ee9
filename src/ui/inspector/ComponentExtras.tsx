/**
 * More about any component: exact size, the producers metadata of it and of each module and
 * component inside, and its printed WAT on demand. Asks the build worker (wasm-tools) through
 * `BuildClient`.
 */
import { useEffect, useMemo, useState } from "react";
import { BuildClient } from "../../client/BuildClient";
import type { ComponentDetails, PrintedWat } from "../../protocol/authoring-api";
import "./inspector.css";
import { WatView } from "./WatView";

export function ComponentExtras(props: { name: string; bytes: Uint8Array }) {
  const client = useMemo(() => new BuildClient(), []);
  useEffect(() => () => client.dispose(), [client]);
  const [details, setDetails] = useState<ComponentDetails | null>(null);
  const [wat, setWat] = useState<{ for: Uint8Array; state: "printing" } | { for: Uint8Array; state: "done"; result: PrintedWat } | null>(null);

  useEffect(() => {
    let stale = false;
    setDetails(null);
    void client.details(props.bytes).then((d) => !stale && setDetails(d));
    return () => {
      stale = true;
    };
  }, [client, props.bytes]);

  const print = () => {
    const bytes = props.bytes;
    setWat({ for: bytes, state: "printing" });
    void client.print(bytes).then((result) => setWat((w) => (w?.for === bytes ? { for: bytes, state: "done", result } : w)));
  };
  const current = wat?.for === props.bytes ? wat : null;
  const withProducers = details?.ok ? details.producers.filter((p) => p.fields.length > 0) : [];

  return (
    <div className="component-extras">
      <dl className="facts" data-testid="component-facts">
        <dt>Size</dt>
        <dd data-testid="component-size">
          {props.bytes.length.toLocaleString()} bytes ({(props.bytes.length / 1024).toFixed(1)} KiB)
        </dd>
        {details?.ok && (
          <>
            <dt>Contains</dt>
            <dd>
              {details.producers.filter((p) => p.kind === "component").length - 1} nested component(s), {details.producers.filter((p) => p.kind === "module").length} core module(s)
            </dd>
          </>
        )}
      </dl>
      <details open>
        <summary>Producers</summary>
        {!details && <p className="muted">Reading metadata…</p>}
        {details && !details.ok && <p className="error">{details.message}</p>}
        {details?.ok && withProducers.length === 0 && <p className="muted">No producers metadata.</p>}
        {withProducers.length > 0 && (
          <table className="producers" data-testid="producers">
            <thead>
              <tr>
                <th>In</th>
                <th>Field</th>
                <th>Values</th>
              </tr>
            </thead>
            <tbody>
              {withProducers.flatMap((p) =>
                p.fields.map((f) => (
                  <tr key={`${p.range[0]}:${f.field}`}>
                    <td>
                      {p.kind}
                      {p.name ? ` ${p.name}` : ""} <span className="muted">@{p.range[0]}</span>
                    </td>
                    <td>{f.field}</td>
                    <td>{f.values.map((v) => `${v.name}${v.version ? ` ${v.version}` : ""}`).join(", ")}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        )}
      </details>
      <details onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && !current && print()}>
        <summary data-testid="show-wat">WAT</summary>
        {current?.state === "printing" && <p className="muted">Printing… (large components take a few seconds)</p>}
        {current?.state === "done" && (current.result.ok ? <WatView text={current.result.text} name={props.name} /> : <p className="error">{current.result.message}</p>)}
      </details>
    </div>
  );
}
