/**
 * What to run and with what: export, args, env, stdin, typed function arguments. Ctrl+Enter runs.
 * The inputs are the playground's (`inputs.ts`), so a link or a reload can restore them.
 */
import { useEffect, useMemo } from "react";
import type { ComponentInfo } from "../../protocol/runtime";
import { inputHint } from "../../wit/values";
import { parseEnv } from "../app/argv";
import { callableFuncs, funcKey, resolveTarget, RUN_TARGET, runRequest, targetFunc, type RunInputs } from "./inputs";
import type { RunRequest } from "./manifest";

export function RunPanel(props: {
  info: ComponentInfo;
  inputs: RunInputs;
  onInputs: (next: RunInputs) => void;
  running: boolean;
  /** Run waits: the component is being inspected, or a link's capabilities are not accepted yet. */
  blocked: boolean;
  onRun: (r: RunRequest) => void;
  onCompare?: (r: RunRequest) => void;
  onBackground?: (r: RunRequest) => void;
  onStop: () => void;
}) {
  const { info, inputs, onInputs } = props;
  const callable = useMemo(() => callableFuncs(info), [info]);
  const fn = targetFunc(info, inputs);
  const envErrors = parseEnv(inputs.env).errors;
  const set = (patch: Partial<RunInputs>) => onInputs({ ...inputs, ...patch });

  // A newly inspected component keeps the export asked for if it has one by that name (a restored
  // link, the same component loaded again); otherwise its default, with no typed arguments.
  useEffect(() => {
    const target = resolveTarget(info, inputs.target);
    if (target !== inputs.target) onInputs({ ...inputs, target, fnArgs: {} });
    // Only a new inspection re-resolves: the user's own choice of export stands.
  }, [info]);

  const request = (): RunRequest | null => (props.running || props.blocked ? null : runRequest(info, inputs).request);
  const submit = () => {
    const r = request();
    if (r) props.onRun(r);
  };

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
      <label>
        Call
        <select data-testid="export-picker" value={resolveTarget(info, inputs.target)} onChange={(e) => set({ target: e.target.value })}>
          {info.isCommand && <option value={RUN_TARGET}>wasi:cli/run (command)</option>}
          {callable.map((f) => (
            <option key={funcKey(f)} value={funcKey(f)}>
              {f.iface ? `${f.iface}#` : ""}
              {f.name}: {f.isAsync ? "async " : ""}func({f.params.map((p) => `${p.name}: ${p.type}`).join(", ")}){f.result ? ` -> ${f.result}` : ""}
            </option>
          ))}
        </select>
      </label>
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
        <button type="submit" data-testid="run" disabled={props.running || props.blocked} title="Ctrl+Enter">
          ▶ Run
        </button>
        {props.onCompare && (
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
        {props.onBackground && info.isCommand && !fn && (
          <button
            type="button"
            data-testid="run-background"
            disabled={props.running || props.blocked}
            onClick={() => {
              const r = request();
              if (r) props.onBackground!(r);
            }}
            title="Keep it running in its own worker (a server, say); the Network panel shows it"
          >
            ◐ Run in background
          </button>
        )}
        <button type="button" data-testid="stop" disabled={!props.running} onClick={props.onStop} title="Escape">
          ■ Stop
        </button>
      </div>
    </form>
  );
}
