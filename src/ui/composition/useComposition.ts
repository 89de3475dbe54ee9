/**
 * The composition editor's state for the whole page (the editor panel, the gallery opening an
 * example's graph, builds from "Write a component" joining the library): the library (the examples
 * from components/index.json, their bytes fetched when a graph needs them), the editor's reducer,
 * the saved document restored from IndexedDB and saved after every edit, and the composition's WIT
 * printed by wasm-tools in the build worker whenever the graph is valid.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from "react";
import { errorMessage } from "../../base/assert";
import { BuildClient } from "../../client/BuildClient";
import { encodeGraph } from "../../compose/encode";
import { graphToJson, parseGraph } from "../../compose/json";
import { CompositionError, diagnosticText } from "../../compose/rules";
import { docToJson, EMPTY_DOC, parseDoc, type CompositionDoc } from "./doc";
import { editorReducer, initialEditor, type Notice } from "./editor";
import { graphViews, layoutPositions } from "./flow";
import { ComponentLibrary, type Origin } from "./library";
import { CompositionStore, type SaveResult } from "./persist";
import { useProjectPart, type PartValues } from "../share/parts";

export type SaveState = "saved" | "saving" | "failed";

/** Wait after an edit before printing the composition's WIT (edits come in bursts: a drag, undo held down). */
const WIT_DELAY_MS = 250;
/** How many of validate's problems a refused Run or Download lists. */
const SHOWN_PROBLEMS = 6;

export interface CompositionWit {
  readonly text: string | null;
  /** Why there is no WIT to show (an empty or invalid graph, or wasm-tools' error). */
  readonly note: string | null;
}

/** The fields of a components/index.json entry the library lists. */
interface IndexEntry {
  readonly file: string;
  readonly size: number;
  readonly sha256: string;
  readonly description?: string;
  readonly group?: string;
  readonly part?: string;
}

async function fetchJson(path: string): Promise<unknown> {
  const res = await fetch(path);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

export function useComposition() {
  const library = useMemo(() => new ComponentLibrary(), []);
  const reducer = useMemo(() => editorReducer(library), [library]);
  const [state, dispatch] = useReducer(reducer, EMPTY_DOC, initialEditor);
  const [libraryVersion, setLibraryVersion] = useState(0);
  /** The document now, for what reads it after awaiting (a callback's `state` is the render's that made it). */
  const current = useRef(state.doc);
  current.current = state.doc;
  const [restored, setRestored] = useState(false);
  /** The document IndexedDB has (its JSON, as handed to the store), or why the last save failed. */
  const [saved, setSaved] = useState<SaveResult | null>(null);
  /** Counts documents opened or restored whole (the canvas fits its view to each). */
  const [opened, setOpened] = useState(0);
  const [unfolded, setUnfolded] = useState<ReadonlySet<string>>(new Set());
  const [wit, setWit] = useState<CompositionWit>({ text: null, note: "Add instances to compose." });
  const builder = useMemo(() => new BuildClient(), []);
  useEffect(() => () => builder.dispose(), [builder]);
  const notify = useCallback((notice: Notice) => dispatch({ type: "notice", notice }), []);
  const store = useMemo(
    () =>
      new CompositionStore((result) => {
        setSaved(result);
        if (!result.ok) notify({ kind: "error", text: result.error });
      }),
    [notify],
  );
  const bump = useCallback(() => setLibraryVersion(library.version), [library]);
  /** Settles once the saved document is restored: what opens a graph waits for it, or the restore, landing later, would replace that graph. */
  const booted = useMemo(() => {
    let settle = () => {};
    const done = new Promise<void>((resolve) => (settle = resolve));
    return { done, settle };
  }, []);

  /** Fetches the bytes of the examples among `shas` that have not arrived yet. */
  const ensureBytes = useCallback(
    async (shas: Iterable<string>) => {
      const missing = [...new Set(shas)].filter((sha) => !library.hasBytes(sha) && library.item(sha)?.origin === "example");
      await Promise.all(
        missing.map(async (sha) => {
          const res = await fetch(`components/${library.item(sha)!.name}`);
          if (!res.ok) throw new Error(`components/${library.item(sha)!.name}: HTTP ${res.status}`);
          library.putBytes(sha, new Uint8Array(await res.arrayBuffer()));
        }),
      );
      bump();
    },
    [library, bump],
  );

  // The examples, then the saved document with the components it needs.
  useEffect(() => {
    let stale = false;
    const boot = async () => {
      const notices: string[] = [];
      const index = await fetchJson("components/index.json").catch((err: unknown) => {
        notices.push(`The example list could not be loaded (${errorMessage(err)}).`);
        return [];
      });
      for (const e of index as IndexEntry[]) {
        const { group, part, description } = e;
        library.list({ sha256: e.sha256, name: e.file, origin: "example", size: e.size, ...(description ? { description } : {}), ...(group ? { group } : {}), ...(part ? { part } : {}) });
      }
      const saved = await store.load().catch((err: unknown) => {
        notices.push(`The saved composition could not be read (${errorMessage(err)}).`);
        return { doc: undefined, components: [] };
      });
      for (const { item, bytes } of saved.components) {
        library.list(item);
        library.putBytes(item.sha256, bytes);
      }
      let doc = EMPTY_DOC;
      if (saved.doc !== undefined) {
        const parsed = parseDoc(saved.doc);
        if (parsed.ok) doc = parsed.doc;
        else notices.push(`The saved composition could not be read: ${parsed.error}`);
      }
      await ensureBytes(doc.graph.instances.map((i) => i.component)).catch((err: unknown) => notices.push(`Some of its components could not be fetched (${errorMessage(err)}).`));
      if (stale) return;
      dispatch({ type: "restore", doc, ...(notices.length ? { notice: { kind: "error", text: notices.join(" ") } } : {}) });
      bump();
      setRestored(true);
      setOpened((n) => n + 1);
      booted.settle();
    };
    void boot();
    return () => {
      stale = true;
    };
  }, [library, store, ensureBytes, bump, booted]);

  // Saved after every edit, and whenever a component joins the library.
  const docJson = useMemo(() => docToJson(state.doc), [state.doc]);
  useEffect(() => {
    if (restored) store.save(docJson, library.kept(state.doc.graph));
  }, [restored, store, library, docJson, state.doc.graph, libraryVersion]);
  const saveState: SaveState = saved && !saved.ok ? "failed" : saved?.doc === docJson ? "saved" : "saving";

  // The library changes in place; `libraryVersion` says when.
  const { views, diagnostics } = useMemo(() => graphViews(library, state.doc.graph), [library, state.doc.graph, libraryVersion]);

  /** The last document encoded, so Run and Download reuse the bytes the WIT was printed from. */
  const composed = useRef<{ doc: CompositionDoc; bytes: Uint8Array } | null>(null);

  /** The composed component, or null with the reasons in the notice. */
  const compose = useCallback((): Uint8Array | null => {
    const doc = state.doc;
    if (composed.current?.doc === doc) return composed.current.bytes;
    if (doc.graph.instances.length === 0) {
      notify({ kind: "error", text: "Nothing to compose yet: add instances from the library." });
      return null;
    }
    try {
      const bytes = encodeGraph(library.catalog, doc.graph, { name: doc.name }).bytes;
      composed.current = { doc, bytes };
      return bytes;
    } catch (err) {
      if (!(err instanceof CompositionError)) throw err;
      const more = err.diagnostics.length - SHOWN_PROBLEMS;
      const list = err.diagnostics.slice(0, SHOWN_PROBLEMS).map((d) => `• ${diagnosticText(d)}`);
      notify({ kind: "error", text: `Cannot compose ${doc.name}: ${err.diagnostics.length} problem${err.diagnostics.length === 1 ? "" : "s"}\n${list.join("\n")}${more > 0 ? `\n… and ${more} more (see Problems)` : ""}` });
      return null;
    }
  }, [state.doc, library, notify]);

  // The composition's WIT, when the graph is valid.
  useEffect(() => {
    const doc = state.doc;
    if (doc.graph.instances.length === 0) return setWit({ text: null, note: "Add instances to compose." });
    if (diagnostics.length) return setWit({ text: null, note: `Fix the ${diagnostics.length} problem${diagnostics.length === 1 ? "" : "s"} to see the composition's WIT.` });
    let stale = false;
    const timer = setTimeout(() => {
      let bytes: Uint8Array;
      try {
        bytes = encodeGraph(library.catalog, doc.graph, { name: doc.name }).bytes;
      } catch (err) {
        return setWit({ text: null, note: `It could not be encoded: ${errorMessage(err)}` });
      }
      composed.current = { doc, bytes };
      void builder.wit(bytes).then((r) => {
        if (!stale) setWit(r.ok ? { text: r.text, note: null } : { text: null, note: `wasm-tools could not print it: ${r.message}` });
      });
    }, WIT_DELAY_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [state.doc, diagnostics, library, builder]);

  /** Adds an instance of library item `sha256` (its bytes fetched first). */
  const addInstance = useCallback(
    async (sha256: string) => {
      try {
        await ensureBytes([sha256]);
      } catch (err) {
        return notify({ kind: "error", text: `Cannot add it: ${errorMessage(err)}` });
      }
      const item = library.item(sha256);
      dispatch({ type: "add", component: sha256, label: item?.part ?? item?.name ?? "instance" });
    },
    [ensureBytes, library, notify],
  );

  /** Puts a component into the library (an opened file, a build); one that is not a component is listed with its reason. */
  const addComponent = useCallback(
    async (name: string, bytes: Uint8Array, origin: Origin) => {
      const item = await library.add(name, bytes, origin);
      bump();
      const l = library.lookup(item.sha256);
      if (!l.ok) notify({ kind: "error", text: `${l.reason}. It is listed, but cannot be added to the graph.` });
      else if (origin === "upload") notify({ kind: "info", text: `Added ${item.name} to the library.` });
    },
    [library, bump, notify],
  );

  /** Graphs being opened (an example, a shared project): Run and Download wait for them. */
  const [opening, setOpening] = useState(0);
  /**
   * Runs `open` with Run and Download waiting, after the boot's restore (which would otherwise land
   * after it and replace the graph it opened).
   */
  const whileOpening = useCallback(
    async (open: () => Promise<void>) => {
      setOpening((n) => n + 1);
      try {
        await booted.done;
        await open();
      } finally {
        setOpening((n) => n - 1);
      }
    },
    [booted],
  );
  /** Shows `graph` as composition `name`, laid out; undoable. */
  const show = useCallback(
    (name: string, graph: CompositionDoc["graph"], notice: string) => {
      const doc: CompositionDoc = { name, graph, positions: {} };
      const positions = layoutPositions(doc, graphViews(library, graph).views, new Set());
      dispatch({ type: "open", doc: { ...doc, positions }, notice: { kind: "info", text: notice } });
      setOpened((n) => n + 1);
    },
    [library],
  );

  const graphsJson = useRef<Promise<unknown> | null>(null);
  /** Opens composition example `group` (its graph from components/graphs.json, laid out); undo brings back the graph there was. */
  const openExample = useCallback(
    (group: string) => {
      notify({ kind: "info", text: `Opening the ${group} composition…` });
      return whileOpening(async () => {
        try {
          graphsJson.current ??= fetchJson("components/graphs.json");
          const parsed = parseGraph(((await graphsJson.current) as Record<string, unknown>)[group]);
          if (!parsed.ok) throw new Error(parsed.error);
          await ensureBytes(parsed.graph.instances.map((i) => i.component));
          const had = current.current.graph.instances.length > 0;
          show(group, parsed.graph, `Opened the ${group} composition (${parsed.graph.instances.length} instances).${had ? " Ctrl+Z brings back the graph you had." : ""}`);
        } catch (err) {
          graphsJson.current = null;
          notify({ kind: "error", text: `Could not open the ${group} composition: ${errorMessage(err)}` });
        }
      });
    },
    [ensureBytes, notify, whileOpening, show],
  );

  // A shared project carries the graph and the components it uses; opening one replaces the graph
  // (undoable), its components joining the library as files do.
  const shared = useMemo((): PartValues["composition"] => {
    const graph = state.doc.graph;
    if (graph.instances.length === 0) return null;
    const components = [...new Set(graph.instances.map((i) => i.component))].map((sha) => library.entry(sha));
    if (components.some((c) => c === undefined)) return null;
    return { graph: graphToJson(graph), components: components.map((c) => ({ name: c!.name, bytes: c!.bytes })) };
    // `libraryVersion` says when the library's bytes changed in place.
  }, [state.doc.graph, library, libraryVersion]);
  useProjectPart("composition", shared, (next) =>
    next === null
      ? Promise.resolve()
      : whileOpening(async () => {
          for (const c of next.components) await library.add(c.name, c.bytes, "upload");
          bump();
          const parsed = parseGraph(next.graph);
          if (!parsed.ok) return notify({ kind: "error", text: `The shared composition could not be read: ${parsed.error}` });
          show(current.current.name, parsed.graph, `Opened the shared composition (${parsed.graph.instances.length} instances).`);
        }),
  );

  /** Lays the whole graph out (undoable like a move). */
  const layout = useCallback(() => dispatch({ type: "move", positions: layoutPositions(state.doc, views, unfolded) }), [state.doc, views, unfolded]);

  const toggleUnfolded = useCallback((id: string) => setUnfolded((u) => (u.has(id) ? new Set([...u].filter((x) => x !== id)) : new Set([...u, id]))), []);

  return { state, dispatch, library, libraryVersion, restored, opened, opening: opening > 0, saveState, views, diagnostics, unfolded, toggleUnfolded, wit, compose, addInstance, addComponent, openExample, layout };
}

export type CompositionApi = ReturnType<typeof useComposition>;
