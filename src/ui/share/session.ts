/**
 * Sharing for one page: opens the project a URL or a file holds (checked in full before anything
 * changes; capabilities held for review; a missing component named), keeps the URL following
 * what the page shows, and makes links, short links and project files. It reaches the page's
 * state only through the seams of `parts.tsx`; `ShareContext.tsx` gives it to React.
 */
import { sha256Hex } from "../../client/ShareClient";
import { capabilityDiff, isEmptyDiff, narrowTo, proposedCapabilities, unionOf, type Capabilities, type CapabilityDiff } from "../../share/capabilities";
import { decodeProject, encodeProject } from "../../share/codec";
import { linkTarget, LINK_HASH_PREFIX, projectLink, SHORT_LINK_ADVISED } from "../../share/link";
import { PROJECT_FILE_EXTENSION, projectFileText, projectFileTooLarge, readProjectFile } from "../../share/project-file";
import { emptyProject, parseProject, referencedBlobs, referencedComponents, serializeProject, type ComponentRef, type ProjectState } from "../../share/schema";
import type { BlobStore } from "./blobs";
import type { PartRegistry, PartValues } from "./parts";
import { fromSharedLayout, gatheredComponents, inputsOf, projectOf, type Gathered } from "./projectState";

/** How long the URL waits after an edit before it follows (typing stays cheap). */
const FOLLOW_DELAY_MS = 300;
/** This tab's accepted capabilities (sessionStorage): a reload of its own link asks nothing again. */
const GRANTED_KEY = "wasi-playground:share:granted";
/** What the page showed before a link replaced it (localStorage, as the workspace it replaced is). */
const PREVIOUS_KEY = "wasi-playground:share:previous";
/** The URL (path and hash) this tab last wrote or opened (sessionStorage): the same URL again is a reload. */
const OWN_KEY = "wasi-playground:share:own";

/** Where a project being opened came from; "reload" and "previous" are the tab's own and ask nothing. */
export type Source = "link" | "short link" | "project file" | "previous" | "reload";

export interface ShareView {
  /** Why the last link or file could not be opened; nothing was changed. */
  error: string | null;
  /** What an opened project asks for beyond what the page allows, waiting for the user. */
  review: { caps: CapabilityDiff; source: Source } | null;
  /** A component the project needs that neither this browser nor the share store has. */
  missing: (ComponentRef & { source: Source }) | null;
  /** What is being done (opening a short link, fetching a component), or null. */
  busy: string | null;
  /** After a project replaced what the page showed: that is kept, to bring back. */
  replaced: boolean;
  /** A sentence about the last open (a migration, an upload that failed). */
  notice: string | null;
}

export interface MadeLink {
  url: string;
  length: number;
  /** Past `SHORT_LINK_ADVISED`: the short link should come first. */
  long: boolean;
  /** The component could not be put on the share store: the link opens only where it is cached. */
  uploadError: string | null;
}

type Pending = { state: ProjectState; source: Source; editorOpen: boolean };

const storage = (s: () => Storage) => ({
  get(key: string): string | null {
    try {
      return s().getItem(key);
    } catch {
      return null;
    }
  },
  set(key: string, value: string | null): void {
    try {
      if (value === null) s().removeItem(key);
      else s().setItem(key, value);
    } catch {
      // Storage full or unavailable: the feature degrades (a reload asks again; nothing to bring back).
    }
  },
});
const tabStorage = storage(() => sessionStorage);
const siteStorage = storage(() => localStorage);

export class ShareSession {
  view: ShareView = { error: null, review: null, missing: null, busy: null, replaced: false, notice: null };
  readonly #listeners = new Set<() => void>();
  /** The project text the URL holds now (null before the page settled: the first one is the baseline, not an edit). */
  #shown: string | null = null;
  #started = false;
  #applying = false;
  #pending: Pending | null = null;
  /** A project whose capabilities wait for the user, and what the page allowed when it was opened. */
  #reviewing: { state: ProjectState; allowed: Capabilities } | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** An opened project's composition while no composition editor holds it: kept so links and files carry it on. */
  #composition: PartValues["composition"] = null;

  constructor(
    readonly parts: PartRegistry,
    readonly blobs: BlobStore,
    /** An embed shows a project read-only: it never rewrites its URL or keeps what it replaced. */
    readonly embed: boolean,
  ) {}

  subscribe(f: () => void): () => void {
    this.#listeners.add(f);
    return () => this.#listeners.delete(f);
  }

  #set(patch: Partial<ShareView>): void {
    this.view = { ...this.view, ...patch };
    for (const f of this.#listeners) f();
  }

  dismiss(what: "error" | "notice" | "replaced"): void {
    this.#set({ [what]: what === "replaced" ? false : null });
  }

  // ---- the project the page shows -------------------------------------------------------------

  #gathered(): Gathered {
    const p = this.parts;
    const composition = p.has("composition") ? p.get("composition") : this.#composition;
    return { component: p.get("component"), inputs: p.get("inputs"), preopens: p.get("preopens"), engine: p.get("engine"), allow: p.get("allow"), authoring: p.get("authoring"), layout: p.get("layout"), composition };
  }

  /** The project state of what the page shows, and its components' bytes by hash. */
  async current(withClosedEditor = false): Promise<{ state: ProjectState; blobs: Map<string, Uint8Array<ArrayBuffer>> }> {
    const g = this.#gathered();
    const hashes = new Map<Uint8Array, string>();
    const blobs = new Map<string, Uint8Array<ArrayBuffer>>();
    for (const c of gatheredComponents(g)) {
      const sha = await this.blobs.hash(c.bytes);
      hashes.set(c.bytes, sha);
      blobs.set(sha, new Uint8Array(c.bytes));
    }
    return { state: projectOf(g, (bytes) => hashes.get(bytes)!, withClosedEditor), blobs };
  }

  // ---- opening --------------------------------------------------------------------------------

  /** Opens what the page's URL names (once per page; later, on a hash the page did not write itself). */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    if (!this.embed) {
      // A link pasted into this tab's address bar (the page's own URL updates fire no hashchange).
      window.addEventListener("hashchange", () => void this.openLocation());
      this.parts.subscribe(() => this.#scheduleFollow());
    }
    await this.openLocation();
    this.#scheduleFollow();
  }

  async openLocation(): Promise<void> {
    const target = linkTarget(location);
    if (target.kind === "none") return;
    this.#set({ error: null, notice: null });
    const reload = tabStorage.get(OWN_KEY) === ownUrl();
    if (target.kind === "hash") {
      const parsed = await decodeProject(target.data);
      if (!parsed.ok) return this.#refuse(`This link cannot be opened: ${parsed.error}. Nothing was changed.`);
      return this.open(parsed.state, reload ? "reload" : "link", parsed.migratedFrom);
    }
    this.#set({ busy: "Opening the short link…" });
    try {
      const record = await this.blobs.client.fetchLink(target.id);
      const parsed = parseProject(record.state);
      this.#set({ busy: null });
      if (!parsed.ok) return this.#refuse(`This short link cannot be opened: ${parsed.error}. Nothing was changed.`);
      return this.open(parsed.state, reload ? "reload" : "short link", parsed.migratedFrom);
    } catch (err) {
      this.#set({ busy: null });
      return this.#refuse(`This short link cannot be opened: ${(err as Error).message} Nothing was changed.`);
    }
  }

  #refuse(error: string): void {
    this.#set({ error, busy: null });
  }

  /** Opens a project file (a `File` from a picker or a drop). */
  async importFile(file: File): Promise<void> {
    this.#set({ error: null, notice: null });
    const tooLarge = projectFileTooLarge(file.size);
    if (tooLarge) return this.#refuse(`${file.name} cannot be opened: ${tooLarge}. Nothing was changed.`);
    const read = await readProjectFile(await file.text(), sha256Hex);
    if (!read.ok) return this.#refuse(`${file.name} cannot be opened: ${read.error}. Nothing was changed.`);
    for (const [sha, bytes] of read.blobs) await this.blobs.keep(sha, bytes);
    return this.open(read.state, "project file", null);
  }

  /**
   * Opens a checked project: fetches its component first (nothing changes while one is missing),
   * keeps what the page showed, then restores every seam. Capabilities the tab has not granted
   * wait for the user, and runs wait with them.
   */
  async open(state: ProjectState, source: Source, migratedFrom: number | null, editorOpen = true): Promise<void> {
    const bytes = new Map<string, Uint8Array<ArrayBuffer>>();
    for (const ref of referencedComponents(state)) {
      if (bytes.has(ref.sha256)) continue;
      this.#set({ busy: `Fetching ${ref.name}…` });
      const got = await this.blobs.fetch(ref.sha256);
      this.#set({ busy: null });
      if (!got.ok) {
        this.#pending = { state, source, editorOpen };
        if (got.missing) return this.#set({ missing: { ...ref, source } });
        return this.#refuse(`The ${source} needs ${ref.name}, which cannot be fetched: ${got.error} Nothing was changed.`);
      }
      bytes.set(ref.sha256, got.bytes);
    }
    const withBytes = (ref: ComponentRef) => ({ name: ref.name, bytes: bytes.get(ref.sha256)! });
    this.#pending = null;
    const own = source === "previous" || source === "reload";
    const allowed = this.#allowed();
    const asked = capabilityDiff(allowed, proposedCapabilities(state));
    const review = !own && !isEmptyDiff(asked);
    if (!own && !this.embed) await this.#keepPrevious(state);

    this.#applying = true;
    try {
      const p = this.parts;
      if (review) await p.set("hold", `This ${source} asks for the capabilities shown at the top of the page: runs wait until you allow or decline them.`);
      await p.set("engine", state.engine);
      // On a reload, the parts that save themselves on every edit (the authoring workspace and the
      // composition in IndexedDB, the dock in localStorage) hold newer values than the URL, which
      // follows edits only FOLLOW_DELAY_MS after the last one: they are left to restore themselves.
      const reload = source === "reload";
      if (state.authoring && !this.embed && !reload) await p.set("authoring", { workspace: state.authoring, open: editorOpen });
      if (!this.embed && !reload) await p.set("layout", fromSharedLayout(state.layout));
      const composition = state.composition ? { graph: state.composition.graph, components: state.composition.components.map(withBytes) } : null;
      if (reload) this.#composition = null;
      else if (p.has("composition")) await p.set("composition", composition);
      else this.#composition = composition;
      // The component first: loading another one empties the run panel, which then takes the project's inputs.
      await p.set("component", state.component ? withBytes(state.component) : null);
      await p.set("inputs", inputsOf(state));
      if (!review) await this.#grant(state);
    } finally {
      this.#applying = false;
    }
    this.#reviewing = review ? { state, allowed } : null;
    this.#shown = serializeProject(state);
    if (!this.embed) tabStorage.set(OWN_KEY, ownUrl());
    const notice = migratedFrom !== null ? `This ${source} was made by an older playground (project version ${migratedFrom}); it was brought up to date.` : null;
    this.#set({ review: review ? { caps: asked, source } : null, missing: null, notice });
  }

  /** What the page allows now: its own capabilities and those this tab accepted. */
  #allowed(): Capabilities {
    const own = { preopens: [...(this.parts.get("preopens") ?? [])], allow: [...(this.parts.get("allow") ?? [])], env: this.parts.get("inputs")?.env ?? "" };
    const granted = readGranted();
    return granted ? unionOf(own, granted) : own;
  }

  async #grant(state: ProjectState): Promise<void> {
    await this.parts.set("preopens", state.run.preopens);
    await this.parts.set("allow", state.run.allow);
    // The seams show the new values only after React renders them: join them in here.
    writeGranted(unionOf(this.#allowed(), proposedCapabilities(state)));
  }

  /** The user allows what the project proposed. */
  async accept(): Promise<void> {
    const reviewing = this.#reviewing;
    if (!reviewing) return;
    await this.#grant(reviewing.state);
    await this.#settle();
  }

  /** The user declines: the project stays, with only what the page allowed before. */
  async decline(): Promise<void> {
    const reviewing = this.#reviewing;
    if (!reviewing) return;
    const narrowed = narrowTo(reviewing.state, reviewing.allowed);
    await this.parts.set("inputs", { ...(this.parts.get("inputs") ?? inputsOf(narrowed)), env: narrowed.run.env });
    await this.#grant(narrowed);
    await this.#settle();
  }

  async #settle(): Promise<void> {
    await this.parts.set("hold", null);
    this.#reviewing = null;
    this.#set({ review: null });
    this.#scheduleFollow();
  }

  /** The missing component, chosen by the user: used if it is the one the project names. */
  async provideMissing(file: File): Promise<void> {
    const pending = this.#pending;
    const missing = this.view.missing;
    if (!pending || !missing) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    const sha = await sha256Hex(bytes);
    if (sha !== missing.sha256) return this.#set({ error: `${file.name} is not the ${missing.name} this ${missing.source} needs: its sha256 is ${sha}, the one needed is ${missing.sha256}.` });
    await this.blobs.keep(sha, bytes);
    let notice: string | null = null;
    try {
      await this.blobs.upload(bytes);
    } catch (err) {
      notice = `${missing.name} is kept in this browser, but the share store did not take it (${(err as Error).message}): links to it open only here.`;
    }
    this.#set({ error: null });
    await this.open(pending.state, pending.source, null, pending.editorOpen);
    if (notice) this.#set({ notice });
  }

  cancelMissing(): void {
    this.#pending = null;
    this.#set({ missing: null, error: "The project was not opened: its component is missing. Nothing was changed." });
  }

  /** Keeps what the page shows before `incoming` replaces it, unless there is nothing to lose. */
  async #keepPrevious(incoming: ProjectState): Promise<void> {
    const { state } = await this.current(true);
    const text = serializeProject(state);
    if (text === serializeProject(incoming) || text === serializeProject(emptyProject())) return;
    const editorOpen = this.parts.get("authoring")?.open ?? false;
    siteStorage.set(PREVIOUS_KEY, JSON.stringify({ editorOpen, state: JSON.parse(text) }));
    this.#set({ replaced: true });
  }

  /** Brings back what the page showed before the last link or file replaced it. */
  async restorePrevious(): Promise<void> {
    const text = siteStorage.get(PREVIOUS_KEY);
    this.#set({ replaced: false });
    if (!text) return;
    const saved = JSON.parse(text) as { editorOpen: boolean; state: unknown };
    const parsed = parseProject(saved.state);
    if (!parsed.ok) return this.#refuse(`What you had before cannot be brought back: ${parsed.error}.`);
    siteStorage.set(PREVIOUS_KEY, null);
    await this.open(parsed.state, "previous", null, saved.editorOpen);
  }

  // ---- the URL follows the page ---------------------------------------------------------------

  #scheduleFollow(): void {
    if (this.embed || !this.#started) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#follow(), FOLLOW_DELAY_MS);
  }

  /** Writes the page's project into the URL (`replaceState`: no history entry per keystroke). */
  async #follow(): Promise<void> {
    this.#timer = null;
    // While a project is being opened or waits (review, missing component), the URL keeps the link.
    if (this.#applying || this.#reviewing || this.#pending || location.hash.startsWith("#/conformance")) return;
    const { state } = await this.current();
    const text = serializeProject(state);
    if (this.#shown === null) {
      // The page as it first settled is not an edit: a fresh page keeps `#/`, a refused link stays readable.
      this.#shown = text;
      return;
    }
    if (text === this.#shown) return;
    const encoded = await encodeProject(state);
    if (!encoded.ok) return;
    this.#shown = text;
    history.replaceState(history.state, "", `/${location.search}${LINK_HASH_PREFIX}${encoded.data}`);
    tabStorage.set(OWN_KEY, ownUrl());
    writeGranted(this.#allowed());
  }

  // ---- making links and files -----------------------------------------------------------------

  /** The link to what the page shows; its component is put on the share store so the link opens anywhere. */
  async link(): Promise<MadeLink | { error: string }> {
    const { state, blobs } = await this.current();
    let encoded: Awaited<ReturnType<typeof encodeProject>>;
    try {
      encoded = await encodeProject(state);
    } catch (err) {
      // The page's own state fails the schema: our bug, said rather than swallowed by the menu.
      return { error: `This project cannot be shared (a playground bug: ${(err as Error).message}).` };
    }
    if (!encoded.ok) return { error: `This project cannot be shared as a link: ${encoded.error}. Download it as a project file instead.` };
    let uploadError: string | null = null;
    for (const bytes of blobs.values()) {
      try {
        await this.blobs.upload(bytes);
      } catch (err) {
        uploadError = (err as Error).message;
      }
    }
    const url = projectLink(location.origin, encoded.data);
    return { url, length: url.length, long: url.length > SHORT_LINK_ADVISED, uploadError };
  }

  /** A short link (`/s/<id>`) to what the page shows: the state and its component go to the share store. */
  async shortLink(): Promise<{ url: string } | { error: string }> {
    const { state, blobs } = await this.current();
    try {
      for (const bytes of blobs.values()) await this.blobs.upload(bytes);
      const made = await this.blobs.client.createLink({ state: JSON.parse(serializeProject(state)) as object, blobs: referencedBlobs(state) });
      return { url: made.url };
    } catch (err) {
      return { error: `No short link: ${(err as Error).message}` };
    }
  }

  /** The project as one file (state and component), with its file name. */
  async projectFile(): Promise<{ name: string; text: string }> {
    const { state, blobs } = await this.current();
    const base = state.component?.name.replace(/\.wasm$/, "") ?? "project";
    return { name: `${base}${PROJECT_FILE_EXTENSION}`, text: projectFileText(state, blobs) };
  }
}

function readGranted(): Capabilities | null {
  const text = tabStorage.get(GRANTED_KEY);
  if (!text) return null;
  try {
    const v = JSON.parse(text) as Capabilities;
    return Array.isArray(v.preopens) && Array.isArray(v.allow) && typeof v.env === "string" ? v : null;
  } catch {
    return null;
  }
}

function writeGranted(c: Capabilities): void {
  tabStorage.set(GRANTED_KEY, JSON.stringify(c));
}

/** The part of the URL that names a project. */
const ownUrl = () => `${location.pathname}${location.hash}`;
