/**
 * The authoring panel's state: the workspace (restored from IndexedDB, saved on every change),
 * live WIT checks, generated types, and builds. Built components go to `onBuilt`, which loads them
 * into the playground's inspector and run panel; a `fault` of a run of the last build becomes that
 * build's problem, on the guest's line that threw.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { BuildClient } from "../../client/BuildClient";
import { WitClient } from "../../client/WitClient";
import type { BuildOutcome, GeneratedTypes, ProjectFile, ProjectKind, SourceDiagnostic, WitCheck } from "../../protocol/authoring-api";
import { guestErrorDiagnostic, type RunFault } from "../run/guestError";
import { useProjectPart } from "../share/parts";
import { fromSharedWorkspace, toSharedWorkspace } from "../share/projectState";
import { WorkspaceStore } from "./persist";
import {
  closeTab, newProject, openTab, project, removeFile, setFile, updateProject, type Layout, type WorkspaceState,
} from "./workspace";

/** Pause after a WIT edit before checking (the worker keeps only the latest request anyway). */
const CHECK_DELAY_MS = 60;

export interface BuildState {
  running: boolean;
  log: string[];
  outcome: BuildOutcome | null;
  /** Diagnostics of the last build (of its last run when it built), cleared per file when that file is edited. */
  diagnostics: SourceDiagnostic[];
}

export const isWit = (path: string) => path.endsWith(".wit");

/** `playground:my-guest` -> `my-guest.wasm`. */
export function componentName(rootPackage: string | null, kind: ProjectKind): string {
  const name = rootPackage?.split(":").pop()?.split("@")[0];
  return `${name || (kind === "wat-component" ? "component" : "guest")}.wasm`;
}

export function useAuthoring(onBuilt: (name: string, bytes: Uint8Array) => void, fault: RunFault | null) {
  const wit = useMemo(() => new WitClient(), []);
  const builder = useMemo(() => new BuildClient(), []);
  useEffect(
    () => () => {
      wit.dispose();
      builder.dispose();
    },
    [wit, builder],
  );
  const [error, setError] = useState<string | null>(null);
  const store = useMemo(() => new WorkspaceStore((m) => setError(m)), []);
  const [ws, setWs] = useState<WorkspaceState | null>(null);
  const wsRef = useRef<WorkspaceState | null>(null);
  const [check, setCheck] = useState<WitCheck | null>(null);
  const [types, setTypes] = useState<GeneratedTypes | null>(null);
  const [build, setBuild] = useState<BuildState>({ running: false, log: [], outcome: null, diagnostics: [] });
  /** Bumped when files change from outside the editor (see ProjectEditor's `revision`). */
  const [revision, setRevision] = useState(0);

  /** Every state change goes through here: kept in a ref (editor events outrun renders) and saved. */
  const commit = useCallback(
    (next: WorkspaceState, outside = false) => {
      wsRef.current = next;
      setWs(next);
      store.save(next);
      if (outside) setRevision((r) => r + 1);
    },
    [store],
  );

  const ensureProject = useCallback(
    async (base: WorkspaceState, kind: ProjectKind): Promise<WorkspaceState> => {
      if (base.projects[kind]) return { ...base, kind };
      const files = await wit.starter(kind);
      return { ...base, kind, projects: { ...base.projects, [kind]: newProject(files) }, seq: base.seq + 1 };
    },
    [wit],
  );

  // A shared project's workspace (src/ui/share) replaces this one, and wins over a saved one still loading.
  const replaced = useRef(false);
  const shared = useMemo(() => (ws ? { workspace: toSharedWorkspace(ws), open: ws.layout.open } : null), [ws]);
  useProjectPart("authoring", shared, (next) => {
    if (!next) return;
    replaced.current = true;
    commit(fromSharedWorkspace(next.workspace, next.open, wsRef.current), true);
    setBuild({ running: false, log: [], outcome: null, diagnostics: [] });
  });

  // Restore the saved workspace (or start the JS project).
  useEffect(() => {
    let stale = false;
    void store.load().then(async (loaded) => {
      const ready = await ensureProject(loaded, loaded.kind);
      if (!stale && !replaced.current) commit(ready, true);
    });
    return () => {
      stale = true;
    };
  }, [store, ensureProject, commit]);

  const current = ws ? project(ws) : undefined;
  const kind = ws?.kind ?? "js";
  const files = useMemo(() => current?.files ?? [], [current]);
  const witFiles = useMemo(() => files.filter((f) => isWit(f.path)), [files]);
  const witKey = useMemo(() => JSON.stringify(witFiles), [witFiles]);

  const open = ws?.layout.open ?? false;
  // Check the WIT whenever it changes, while the panel is open (the first check loads wasm-tools).
  useEffect(() => {
    if (!open) return;
    if (witFiles.length === 0) {
      setCheck(null);
      return;
    }
    let stale = false;
    const timer = setTimeout(() => {
      void wit.check(witFiles).then((r) => {
        if (r && !stale) setCheck(r);
      });
    }, CHECK_DELAY_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
    // witKey stands for witFiles' content, so an unchanged text does not check again.
  }, [wit, witKey, open]);

  const dock = ws?.layout.dock;
  const witOk = check !== null && check.diagnostics.length === 0;
  const world = current?.world ?? null;
  // Generated types follow the WIT while a types tab is open and the WIT is valid.
  useEffect(() => {
    if ((dock !== "host-types" && dock !== "guest-types") || !witOk || kind === "wat-component") return;
    let stale = false;
    void wit.types(witFiles, world).then((r) => {
      if (r && !stale) setTypes(r);
    });
    return () => {
      stale = true;
    };
  }, [wit, witKey, witOk, dock, world, kind]);

  const setText = useCallback(
    (path: string, text: string) => {
      const cur = wsRef.current;
      // Outside changes applied to the editor come back here; they are in the state already.
      if (!cur || project(cur)?.files.find((f) => f.path === path)?.text === text) return;
      const next = setFile(cur, cur.kind, path, text);
      store.journal(cur.kind, path, text, next.seq);
      commit(next);
      setBuild((b) => (b.diagnostics.some((d) => d.path === path) ? { ...b, diagnostics: b.diagnostics.filter((d) => d.path !== path) } : b));
    },
    [commit, store],
  );

  const act = useCallback(
    (fn: (cur: WorkspaceState) => WorkspaceState) => {
      const cur = wsRef.current;
      if (cur) commit(fn(cur));
    },
    [commit],
  );

  const switchKind = useCallback(
    async (k: ProjectKind) => {
      const cur = wsRef.current;
      if (!cur) return;
      commit(await ensureProject(cur, k), true);
      setCheck(null);
      setTypes(null);
      setBuild({ running: false, log: [], outcome: null, diagnostics: [] });
    },
    [commit, ensureProject],
  );

  const resetProject = useCallback(async () => {
    const cur = wsRef.current;
    if (!cur) return;
    const files = await wit.starter(cur.kind);
    commit(updateProject(cur, cur.kind, () => newProject(files)), true);
  }, [commit, wit]);

  /** Writes a guest.js implementing the world's exports (the editor keeps undo); returns what happened. */
  const generateGuest = useCallback(async (): Promise<string> => {
    const cur = wsRef.current;
    const p = cur && project(cur);
    if (!cur || !p) return "No project is open.";
    const js = await wit.jsGuest(p.files, p.world);
    if (js === null) return "The WIT has no world to generate a guest from.";
    commit(openTab(setFile(cur, cur.kind, "guest.js", js), cur.kind, "guest.js"), true);
    return "guest.js now has a stub for each export of the world (Ctrl+Z in guest.js brings the previous text back).";
  }, [commit, wit]);

  const runBuild = useCallback(async () => {
    const cur = wsRef.current;
    const p = cur && project(cur);
    if (!cur || !p || build.running) return;
    const started = new Date().toLocaleTimeString();
    if (cur.kind !== "wat-component" && check && check.diagnostics.length > 0) {
      setBuild({ running: false, log: [`${started} not built: fix the WIT problems first`], outcome: null, diagnostics: [] });
      act((w) => ({ ...w, layout: { ...w.layout, dock: "problems" } }));
      return;
    }
    const name = componentName(check?.rootPackage ?? null, cur.kind);
    setBuild({ running: true, log: [`${started} building ${name} (${cur.kind === "js" ? "on the server, componentize-qjs" : "in the browser, wasm-tools"})`], outcome: null, diagnostics: [] });
    const log = (line: string) => setBuild((b) => ({ ...b, log: [...b.log, line] }));
    const outcome = await builder.build({ kind: cur.kind, files: p.files, world: p.world, name }, (e) => log(e.kind === "queued" ? `waiting: ${e.position} build(s) ahead` : e.line));
    const summary = outcome.ok ? `built ${name}: ${(outcome.bytes.length / 1024).toFixed(1)} KiB in ${outcome.ms.toFixed(0)} ms${outcome.cached ? " (cached)" : ""}` : `failed: ${outcome.message}`;
    setBuild((b) => ({ running: false, log: [...b.log, summary], outcome, diagnostics: outcome.ok ? [] : outcome.diagnostics }));
    if (outcome.ok) onBuilt(name, outcome.bytes);
    else act((w) => ({ ...w, layout: { ...w.layout, dock: outcome.diagnostics.length > 0 ? "problems" : "log" } }));
  }, [act, build.running, builder, check, onBuilt]);

  // A built component has no build problems, so its diagnostics are the last run's: the line that
  // threw, while that run is the latest of this build (cleared like build problems, by an edit).
  useEffect(() => {
    setBuild((b) => {
      if (!b.outcome?.ok) return b;
      const thrown = fault && fault.bytes === b.outcome.bytes ? guestErrorDiagnostic(fault.error) : null;
      return thrown ? { ...b, diagnostics: [thrown] } : b.diagnostics.length > 0 ? { ...b, diagnostics: [] } : b;
    });
  }, [fault]);

  const actions = useMemo(
    () => ({
      setText,
      switchKind,
      resetProject,
      generateGuest,
      build: runBuild,
      /** Stops waiting for the build (a server build still finishes, into its cache). */
      cancelBuild: () => builder.cancel(),
      openFile: (path: string) => act((w) => openTab(w, w.kind, path)),
      closeFile: (path: string) => act((w) => closeTab(w, w.kind, path)),
      addFile: (path: string, text: string) => act((w) => openTab(setFile(w, w.kind, path, text), w.kind, path)),
      deleteFile: (path: string) => act((w) => removeFile(w, w.kind, path)),
      setWorld: (world: string | null) => act((w) => updateProject(w, w.kind, (p) => ({ ...p, world }))),
      setLayout: (patch: Partial<Layout>) => act((w) => ({ ...w, layout: { ...w.layout, ...patch }, seq: w.seq + 1 })),
      dismissError: () => setError(null),
    }),
    [act, builder, generateGuest, resetProject, runBuild, setText, switchKind],
  );

  const problems: SourceDiagnostic[] = useMemo(() => [...(check?.diagnostics ?? []), ...build.diagnostics], [check, build.diagnostics]);
  return { ws, kind, project: current, files: files as readonly ProjectFile[], revision, check, types, build, problems, error, actions };
}
