/**
 * What to run and with what: export, args, env, stdin, typed function arguments. Ctrl+Enter runs;
 * a component that exports `wasi:http/handler` is served instead (its handler is not called from here).
 * The inputs are the playground's (`inputs.ts`), so a link or a reload can restore them.
 */
import { useEffect, useMemo, useState, type Dispatch, type SetStateAction } from "react";
import type { ComponentInfo } from "../../protocol/runtime";
import { inputHint } from "../../wit/values";
import { parseEnv } from "../app/argv";
import { isHandlerFunc, servesHttp } from "../http/serve";
import { callableFuncs, defaultTarget, funcKey, internalExport, RUN } from "./exports";
import { inspectedInputs, resolveTarget, runRequest, targetFunc, type RunInputs } from "./inputs";
import type { RunRequest } from "./manifest";

export function RunPanel(props: {
  info: ComponentInfo;
  inputs: RunInputs;
  onInputs: Dispatch<SetStateAction<RunInputs>>;
  running: boolean;
  /** Run waits: the component is being inspected, or a link's capabilities are not accepted yet. */
  blocked: boolean;
  onRun: (r: RunRequest) => void;
  onCompare?: (r: RunRequest) => void;
  onBackground?: (r: RunRequest) => void;
  onServe?: (r: RunRequest) => void;
  onStop: () => void;
}) {
  const { info, inputs, onInputs } = props;
  const [showInternal, setShowInternal] = useState(false);
  const callable = useMemo(() => callableFuncs(info, showInternal).filter((f) => !isHandlerFunc(f.iface)), [info, showInternal]);
  const internal = useMemo(() => info.funcs.filter((f) => internalExport(f) !== null), [info]);
  const serves = props.onServe !== undefined && servesHttp(info);
  // Serving is what a handler is for; Run stays the default for a command that also serves. (Its
  // other exports are not called from here.)
  const serveFirst = serves && !info.isCommand;
  const target = resolveTarget(info, inputs.target);
  const [calls, setCalls] = useState(1);
  const fn = serveFirst ? undefined : targetFunc(info, { ...inputs, target });
  const envErrors = parseEnv(inputs.env).errors;
  const set = (patch: Partial<RunInputs>) => onInputs({ ...inputs, ...patch });

  // Only a new inspection re-resolves the export (`inspectedInputs`), and from the inputs as they
  // are when the effect runs, not as this render saw them: an export picked between the render and
  // its effects (WebKit ran them up to a second late) stands.
  useEffect(() => onInputs((current) => inspectedInputs(info, current)), [info]);

  const request = (): RunRequest | null => {
    if (props.running || props.blocked) return null;
    const r = runRequest(info, { ...inputs, target }).request;
    return r && fn && calls > 1 ? { ...r, calls } : r;
  };
  const submit = () => {
    const r = request();
    if (r) (serveFirst ? props.onServe! : props.onRun)(r);
  };
  const serveButton = (primary: boolean) => (
    <button
      type={primary ? "submit" : "button"}
      data-testid="serve"
      disabled={props.running || props.blocked}
      onClick={
        primary
          ? undefined
          : () => {
              const r = request();
              if (r) props.onServe!(r);
            }
      }
      title={`Serve its wasi:http/handler until Stop: the HTTP tab previews it and sends it requests${primary ? " (Ctrl+Enter)" : ""}`}
    >
      ◉ Serve
    </button>
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        submit();
      } else if (e.key === "Escape" && props.running) {
        e.preventDefault();
        props.onStop();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  return (
    <form
      className="run-panel"
      aria-label="Run"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {!serveFirst && (
        <>
          <label>
            Call
            <select data-testid="export-picker" value={target} onChange={(e) => set({ target: e.target.value })}>
              {info.isCommand && <option value={RUN}>wasi:cli/run (command)</option>}
              {callable.map((f) => (
                <option key={funcKey(f)} value={funcKey(f)}>
                  {f.iface ? `${f.iface}#` : ""}
                  {f.name}: {f.isAsync ? "async " : ""}func({f.params.map((p) => `${p.name}: ${p.type}`).join(", ")}){f.result ? ` -> ${f.result}` : ""}
                </option>
              ))}
            </select>
          </label>
          {internal.length > 0 && (
            <label className="muted" title={`Exports ${internal.map((f) => `${f.name} (${internalExport(f)})`).join(", ")} added by the toolchain, not written in the world`}>
              <input
                type="checkbox"
                data-testid="show-internal"
                checked={showInternal}
                onChange={(e) => {
                  setShowInternal(e.target.checked);
                  // Hiding them again must not leave a hidden export selected.
                  if (!e.target.checked && internal.some((f) => funcKey(f) === target)) set({ target: defaultTarget(info), fnArgs: {} });
                }}
              /> show {internal.length} toolchain export{internal.length > 1 ? "s" : ""}
            </label>
          )}
        </>
      )}
      {fn &&
        fn.params.map((p) => (
          <label key={p.name}>
            {p.name}: <code>{p.type}</code>
            <input
              data-testid={`arg-${p.name}`}
              placeholder={inputHint(p.type)}
              value={inputs.fnArgs[p.name] ?? ""}
              onChange={(e) => set({ fnArgs: { ...inputs.fnArgs, [p.name]: e.target.value } })}
            />
          </label>
        ))}
      {fn && (
        <label>
          Concurrent calls <span className="muted">started at once on one instance</span>
          <input data-testid="concurrent-calls" type="number" min={1} max={1000} value={calls} onChange={(e) => setCalls(Math.min(1000, Math.max(1, Math.floor(Number(e.target.value)) || 1)))} />
        </label>
      )}
      <label>
        Arguments
        <input data-testid="args" placeholder='e.g. Ada "Lovelace"' value={inputs.args} onChange={(e) => set({ args: e.target.value })} />
      </label>
      <label>
        Environment <span className="muted">KEY=VALUE per line</span>
        <textarea data-testid="env" rows={2} value={inputs.env} onChange={(e) => set({ env: e.target.value })} />
      </label>
      {envErrors.map((e) => (
        <p key={e} className="error">
          {e}
        </p>
      ))}
      <label>
        Stdin
        <textarea data-testid="stdin" rows={3} value={inputs.stdin} onChange={(e) => set({ stdin: e.target.value })} />
      </label>
      <div className="buttons">
        {serveFirst ? (
          serveButton(true)
        ) : (
          <button type="submit" data-testid="run" disabled={props.running || props.blocked} title="Ctrl+Enter">
            ▶ Run
          </button>
        )}
        {serves && !serveFirst && serveButton(false)}
        {props.onCompare && !serveFirst && (
          <button
            type="button"
            data-testid="compare"
            disabled={props.running || props.blocked}
            onClick={() => {
              const r = request();
              if (r) props.onCompare!(r);
            }}
            title="Run on engine/jco, then engine/cm, and compare the results"
          >
            ⇄ Compare engines
          </button>
        )}
        {props.onBackground && ((info.isCommand && !fn) || serveFirst) && (
          <button
            type="button"
            data-testid="run-background"
            disabled={props.running || props.blocked}
            onClick={() => {
              const r = request();
              if (r) props.onBackground!(serveFirst ? { ...r, invoke: { kind: "serve" } } : r);
            }}
            title={
              serveFirst
                ? "Serve it in its own worker while other components run: they reach it at http://NAME.localhost:8080/; the Network panel shows it"
                : "Keep it running in its own worker (a server, say); the Network panel shows it"
            }
          >
            {serveFirst ? "◐ Serve in background" : "◐ Run in background"}
          </button>
        )}
        <button type="button" data-testid="stop" disabled={!props.running} onClick={props.onStop} title="Escape">
          ■ Stop
        </button>
      </div>
    </form>
  );
}
