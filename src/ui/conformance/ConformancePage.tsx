/** In-app conformance runner: the wasi-testsuite through the same worker and host as a normal run. */
import { useEffect, useMemo, useRef, useState } from "react";
import { RuntimeClient, spawnRuntimeWorker } from "../../client/RuntimeClient";
import { useFsClient } from "../files/FsContext";
import { useNetClient } from "../network/NetworkContext";
import { loadSuite, reportCard, runTest, type TestResult } from "../../conformance/runner";

declare global {
  // Read by e2e/conformance.spec.ts.
  interface Window {
    __conformance?: { done: boolean; results: TestResult[]; error: string | null };
  }
}

export function ConformancePage() {
  const net = useNetClient();
  const files = useFsClient();
  const client = useMemo(() => new RuntimeClient(spawnRuntimeWorker, net, files), [net, files]);
  useEffect(() => () => client.dispose(), [client]);
  const [results, setResults] = useState<TestResult[]>([]);
  const [state, setState] = useState<"idle" | "running" | "done">("idle");
  const [current, setCurrent] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState("");
  const started = useRef(false);

  const start = async () => {
    if (started.current) return;
    started.current = true;
    setState("running");
    const all: TestResult[] = [];
    window.__conformance = { done: false, results: all, error: null };
    try {
      const suite = await loadSuite();
      const query = new URLSearchParams(location.hash.split("?")[1] ?? "");
      const only = query.get("only");
      const engine = query.get("engine") === "cm" ? "cm" : "jco";
      for (const t of suite.tests.filter((t) => !only || only.split(",").some((p) => t.name.startsWith(p)))) {
        setCurrent(t.name);
        all.push(await runTest(client, suite, t.name, t.manifest, engine, net));
        setResults([...all]);
      }
    } catch (e) {
      setError(String(e));
      window.__conformance.error = String(e);
    }
    setCurrent(null);
    setState("done");
    window.__conformance.done = true;
  };

  useEffect(() => {
    if (location.hash.includes("auto")) void start();
  });

  const card = reportCard(results);
  return (
    <main className="conformance">
      <h2>WASI conformance (wasi-testsuite, wasm32-wasip3)</h2>
      <p>
        <button data-testid="run-suite" disabled={state !== "idle"} onClick={() => void start()}>
          Run the suite
        </button>{" "}
        <span data-testid="suite-state">
          {state === "running" ? `running ${current ?? ""}… (${results.length} done)` : state === "done" ? `done: ${results.length} tests` : ""}
        </span>
      </p>
      {error && <p className="error">{error}</p>}
      <h3>Report card</h3>
      <table data-testid="report-card">
        <thead>
          <tr>
            <th>interface</th>
            <th>pass</th>
            <th>expected fail</th>
            <th>unexpected fail</th>
          </tr>
        </thead>
        <tbody>
          {card.families.map((f) => (
            <tr key={f.family}>
              <td>{f.family}</td>
              <td className="st-pass">{f.pass}</td>
              <td className="st-expected-fail">{f.expectedFail}</td>
              <td className={f.fail ? "st-fail" : ""}>{f.fail}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Tests</h3>
      <input placeholder="filter" value={filter} onChange={(e) => setFilter(e.target.value)} />
      <table>
        <tbody>
          {results
            .filter((r) => r.name.includes(filter))
            .map((r) => (
              <tr key={r.name} data-testid={`test-${r.name}`}>
                <td>{r.name}</td>
                <td className={`st-${r.verdict}`}>
                  {r.verdict}
                  {r.unexpected ? " (unexpected)" : ""}
                </td>
                <td>{(r.ms / 1000).toFixed(1)} s</td>
                <td>{r.reason}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </main>
  );
}
