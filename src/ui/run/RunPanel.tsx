/** What to run and with what: export, args, env, stdin, typed function arguments. Ctrl+Enter runs. */
import { useEffect, useMemo, useState } from "react";
import type { ComponentInfo, Invocation } from "../../protocol/runtime";
import { inputHint } from "../../wit/values";
import { parseEnv, splitArgs } from "../app/argv";
import { callableFuncs, defaultTarget, funcKey, internalExport, RUN } from "./exports";
import type { RunRequest } from "./manifest";

export function RunPanel(props: { info: ComponentInfo; running: boolean; inspecting: boolean; onRun: (r: RunRequest) => void; onCompare?: (r: RunRequest) => void; onBackground?: (r: RunRequest) => void; onStop: () => void }) {
  const { info } = props;
  const [showInternal, setShowInternal] = useState(false);
  const callable = useMemo(() => callableFuncs(info, showInternal), [info, showInternal]);
  const internal = useMemo(() => info.funcs.filter((f) => internalExport(f) !== null), [info]);
  const [target, setTarget] = useState<string>(() => defaultTarget(info));
  const [args, setArgs] = useState("");
  const [env, setEnv] = useState("");
  const [stdin, setStdin] = useState("");
  const [fnArgs, setFnArgs] = useState<Record<string, string>>({});
  const fn = callable.find((f) => funcKey(f) === target);
  const envParsed = parseEnv(env);

  useEffect(() => {
    setTarget(defaultTarget(info));
    setFnArgs({});
  }, [info]);

  const request = (): RunRequest | null => {
    if (props.running || props.inspecting || envParsed.errors.length > 0) return null;
    const invoke: Invocation = fn ? { kind: "call", iface: fn.iface, func: fn.name, args: fn.params.map((p) => fnArgs[p.name] ?? "") } : { kind: "run" };
    return { args: splitArgs(args), env: envParsed.env, stdin, invoke };
  };
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
        <select data-testid="export-picker" value={target} onChange={(e) => setTarget(e.target.value)}>
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
              if (!e.target.checked && internal.some((f) => funcKey(f) === target)) setTarget(defaultTarget(info));
            }}
          /> show {internal.length} toolchain export{internal.length > 1 ? "s" : ""}
        </label>
      )}
      {fn &&
        fn.params.map((p) => (
          <label key={p.name}>
            {p.name}: <code>{p.type}</code>
            <input
              data-testid={`arg-${p.name}`}
              placeholder={inputHint(p.type)}
              value={fnArgs[p.name] ?? ""}
              onChange={(e) => setFnArgs({ ...fnArgs, [p.name]: e.target.value })}
            />
          </label>
        ))}
      <label>
        Arguments
        <input data-testid="args" placeholder='e.g. Ada "Lovelace"' value={args} onChange={(e) => setArgs(e.target.value)} />
      </label>
      <label>
        Environment <span className="muted">KEY=VALUE per line</span>
        <textarea data-testid="env" rows={2} value={env} onChange={(e) => setEnv(e.target.value)} />
      </label>
      {envParsed.errors.map((e) => (
        <p key={e} className="error">
          {e}
        </p>
      ))}
      <label>
        Stdin
        <textarea data-testid="stdin" rows={3} value={stdin} onChange={(e) => setStdin(e.target.value)} />
      </label>
      <div className="buttons">
        <button type="submit" data-testid="run" disabled={props.running || props.inspecting} title="Ctrl+Enter">
          ▶ Run
        </button>
        {props.onCompare && (
          <button
            type="button"
            data-testid="compare"
            disabled={props.running || props.inspecting}
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
            disabled={props.running || props.inspecting}
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
