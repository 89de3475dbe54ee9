/**
 * The fs-owner's state (DESIGN.md: one fs-owner holds a Web Lock per workspace; others call it).
 * The owner is the only one that opens a workspace's database, so it may keep its metadata in
 * memory (CachedKv) and knows every descriptor open on it, in every tab:
 * - a file that loses its last name while a descriptor holds it stays until the last holder lets
 *   go, then is reclaimed at once (no tab that opens the workspace later can pull it away);
 * - a descriptor opened to truncate and write takes the file's write lease until it is dropped:
 *   another truncating writer waits for it, so two runs writing one file leave one whole version.
 * Runs and the Files panel each reach a workspace through a Session (their descriptors and leases).
 */
import { fsError } from "./errors";
import type { Change, Inode, OpenFlags, Vfs, VfsApi } from "./vfs";

/** A workspace as one holder (a run, the Files panel) uses it. */
export interface FsSession extends VfsApi {
  /** A descriptor returned by `openAt` was dropped. */
  release(ino: number): void;
  /** The holder is done: every descriptor and lease it had goes. */
  close(): void;
}

export class Workspace {
  /** Descriptors open on each inode, over all sessions. */
  readonly #holds = new Map<number, number>();
  /** Truncating writers: who holds each file, and who waits for it (in order). */
  readonly #leases = new Map<number, { session: Session; waiters: Array<() => void> }>();

  constructor(
    readonly name: string,
    readonly vfs: Vfs,
  ) {}

  session(): Session {
    return new Session(this);
  }

  /** Called with every change the Vfs reports: orphans nobody holds are reclaimed at once. */
  changed(c: Change): void {
    if (c.kind === "orphan" && !this.holds(c.ino)) void this.vfs.reclaim(c.ino);
  }

  /** Whether any session has a descriptor open on `ino`. */
  holds(ino: number): boolean {
    return (this.#holds.get(ino) ?? 0) > 0;
  }

  hold(ino: number): void {
    this.#holds.set(ino, (this.#holds.get(ino) ?? 0) + 1);
  }

  unhold(ino: number, n = 1): void {
    const left = (this.#holds.get(ino) ?? 0) - n;
    if (left > 0) return void this.#holds.set(ino, left);
    this.#holds.delete(ino);
    // The last descriptor of an orphan went: free it (a no-op for files that still have a name).
    void this.vfs.reclaim(ino);
  }

  /** Resolves once `session` holds the write lease of `ino`. */
  lease(session: Session, ino: number): Promise<void> {
    const cur = this.#leases.get(ino);
    if (!cur) {
      this.#leases.set(ino, { session, waiters: [] });
      return Promise.resolve();
    }
    return new Promise((granted) =>
      cur.waiters.push(() => {
        this.#leases.set(ino, { session, waiters: cur.waiters });
        granted();
      }),
    );
  }

  leasedByOther(session: Session, ino: number): boolean {
    const cur = this.#leases.get(ino);
    return cur !== undefined && cur.session !== session;
  }

  unlease(ino: number): void {
    const cur = this.#leases.get(ino);
    if (!cur) return;
    const next = cur.waiters.shift();
    if (next) next();
    else this.#leases.delete(ino);
  }
}

export class Session implements FsSession {
  /** This session's descriptors per inode, and the leases it holds. */
  readonly #held = new Map<number, number>();
  readonly #leased = new Set<number>();
  #closed = false;

  constructor(readonly ws: Workspace) {}

  get #vfs(): Vfs {
    if (this.#closed) fsError("bad-descriptor", "the session was closed");
    return this.ws.vfs;
  }

  #hold(ino: number): void {
    this.#held.set(ino, (this.#held.get(ino) ?? 0) + 1);
    this.ws.hold(ino);
  }

  async openAt(dir: number, path: string, follow: boolean, flags: OpenFlags, writable: boolean): Promise<Inode> {
    if (!(flags.truncate && writable)) {
      const node = await this.#vfs.openAt(dir, path, follow, flags, writable);
      this.#hold(node.ino);
      return node;
    }
    // Open (or create) without truncating, wait for the file's write lease, then truncate: what
    // this writer writes until it drops the descriptor is never mixed with another's whole write.
    const node = await this.#vfs.openAt(dir, path, follow, { ...flags, truncate: false }, writable);
    this.#hold(node.ino);
    if (node.type !== "regular-file" || this.#leased.has(node.ino)) return node;
    await this.ws.lease(this, node.ino);
    if (this.#closed) {
      this.ws.unlease(node.ino);
      return fsError("bad-descriptor", "the session was closed");
    }
    this.#leased.add(node.ino);
    const now = await this.#vfs.stat(node.ino);
    if (now.size === 0) return now;
    await this.#vfs.setSize(node.ino, 0);
    return this.#vfs.stat(node.ino);
  }

  /**
   * Replaces a file in one transaction (the editor's Save). A run writing the file holds its
   * lease: rather than wait for the run, say so.
   */
  async writeFileAt(dir: number, path: string, data: Uint8Array): Promise<void> {
    const existing = await this.#vfs.statAt(dir, path, true).catch(() => undefined);
    if (existing && this.ws.leasedByOther(this, existing.ino)) {
      fsError("busy", `'${path}' is being written by a running component; save again when it has finished`);
    }
    await this.#vfs.writeFileAt(dir, path, data);
  }

  release(ino: number): void {
    const n = this.#held.get(ino);
    if (!n) return;
    if (n > 1) this.#held.set(ino, n - 1);
    else {
      this.#held.delete(ino);
      if (this.#leased.delete(ino)) this.ws.unlease(ino);
    }
    this.ws.unhold(ino);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const ino of this.#leased) this.ws.unlease(ino);
    this.#leased.clear();
    for (const [ino, n] of this.#held) this.ws.unhold(ino, n);
    this.#held.clear();
  }

  // The rest go straight to the Vfs (async, so a closed session rejects rather than throws).
  async stat(ino: number) {
    return this.#vfs.stat(ino);
  }
  async statAt(dir: number, path: string, follow: boolean) {
    return this.#vfs.statAt(dir, path, follow);
  }
  async read(ino: number, offset: number, length: number) {
    return this.#vfs.read(ino, offset, length);
  }
  async write(ino: number, offset: number | "append", data: Uint8Array) {
    return this.#vfs.write(ino, offset, data);
  }
  async setSize(ino: number, size: number) {
    return this.#vfs.setSize(ino, size);
  }
  async setTimes(dir: number, path: string | null, follow: boolean, atime: bigint | "now" | null, mtime: bigint | "now" | null) {
    return this.#vfs.setTimes(dir, path, follow, atime, mtime);
  }
  async readDirectory(ino: number) {
    return this.#vfs.readDirectory(ino);
  }
  async createDirectoryAt(dir: number, path: string) {
    return this.#vfs.createDirectoryAt(dir, path);
  }
  async removeDirectoryAt(dir: number, path: string) {
    return this.#vfs.removeDirectoryAt(dir, path);
  }
  async unlinkFileAt(dir: number, path: string) {
    return this.#vfs.unlinkFileAt(dir, path, (ino) => this.ws.holds(ino));
  }
  async symlinkAt(dir: number, target: string, path: string) {
    return this.#vfs.symlinkAt(dir, target, path);
  }
  async readlinkAt(dir: number, path: string) {
    return this.#vfs.readlinkAt(dir, path);
  }
  async linkAt(oldDir: number, oldPath: string, follow: boolean, newDir: number, newPath: string) {
    return this.#vfs.linkAt(oldDir, oldPath, follow, newDir, newPath);
  }
  async renameAt(oldDir: number, oldPath: string, newDir: number, newPath: string) {
    return this.#vfs.renameAt(oldDir, oldPath, newDir, newPath);
  }
  async sync() {
    return this.#vfs.sync();
  }
  async reset() {
    return this.#vfs.reset();
  }
  async id() {
    return this.#vfs.id();
  }
}

/** Opens workspaces by name, once each (the owner's registry). */
export class FsOwner {
  readonly #open = new Map<string, Promise<Workspace>>();

  /** `open` opens a workspace's Vfs reporting changes to `onChange` (which the owner sees first). */
  constructor(private readonly open: (name: string, onChange: (c: Change) => void) => Promise<Vfs>) {}

  workspace(name: string): Promise<Workspace> {
    let w = this.#open.get(name);
    if (!w) {
      let ws: Workspace | undefined;
      w = this.open(name, (c) => ws?.changed(c)).then((vfs) => (ws = new Workspace(name, vfs)));
      this.#open.set(name, w);
      w.catch(() => this.#open.delete(name));
    }
    return w;
  }
}
