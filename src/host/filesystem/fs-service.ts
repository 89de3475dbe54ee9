/**
 * The fs-owner's API (`FsApi`): workspace files for the UI, through one session per workspace,
 * and connections for runs (`attachRun`), all over the same workspaces.
 */
import { errorMessage } from "../../base/assert";
import type { FsApi, FsEntry, FsResult, WorkspaceInfo } from "../../protocol/fs";
import { FsError } from "./errors";
import type { FsOwner, Session } from "./owner";
import { serveRun } from "./remote";
import { FS_VERSION, ROOT_INO, type VfsApi } from "./vfs";
import { ensureParents } from "./workspace";

async function wrap<T>(f: () => Promise<T>): Promise<FsResult<T>> {
  try {
    return { ok: true, value: await f() };
  } catch (err) {
    if (err instanceof FsError) return { ok: false, code: err.code, message: err.message };
    return { ok: false, code: "io", message: errorMessage(err) };
  }
}

const clean = (path: string) => path.split("/").filter(Boolean).join("/");

async function removeTree(vfs: VfsApi, path: string): Promise<void> {
  const node = await vfs.statAt(ROOT_INO, path, false);
  if (node.type !== "directory") return vfs.unlinkFileAt(ROOT_INO, path);
  for (const e of await vfs.readDirectory(node.ino)) await removeTree(vfs, `${path}/${e.name}`);
  await vfs.removeDirectoryAt(ROOT_INO, path);
}

export class FsService implements FsApi {
  readonly #sessions = new Map<string, Promise<Session>>();

  constructor(private readonly owner: FsOwner) {}

  /** The UI's session on a workspace: its saves respect the write leases of runs. */
  #session(workspace: string): Promise<Session> {
    let s = this.#sessions.get(workspace);
    if (!s) {
      s = this.owner.workspace(workspace).then(
        (w) => w.session(),
        (err: unknown) => {
          throw new Error(`Could not open workspace '${workspace}': ${errorMessage(err)}`);
        },
      );
      this.#sessions.set(workspace, s);
      s.catch(() => this.#sessions.delete(workspace));
    }
    return s;
  }

  workspaceInfo(workspace: string) {
    return wrap<WorkspaceInfo>(async () => {
      await this.#session(workspace);
      return { layout: FS_VERSION, migratedFrom: (await this.owner.workspace(workspace)).vfs.migratedFrom ?? null };
    });
  }

  attachRun(port: MessagePort): void {
    serveRun(port, this.owner);
  }

  tree(workspace: string) {
    return wrap(async () => {
      const vfs = await this.#session(workspace);
      const out: FsEntry[] = [];
      const walk = async (ino: number, prefix: string) => {
        for (const e of await vfs.readDirectory(ino)) {
          const n = await vfs.stat(e.ino);
          const path = prefix + e.name;
          out.push({ path, name: e.name, type: n.type, size: n.size, mtimeMs: Number(n.mtime / 1_000_000n) });
          if (n.type === "directory") await walk(n.ino, `${path}/`);
        }
      };
      await walk(ROOT_INO, "");
      return out;
    });
  }

  readFile(workspace: string, path: string) {
    return wrap(async () => {
      const vfs = await this.#session(workspace);
      const node = await vfs.statAt(ROOT_INO, clean(path), true);
      if (node.type !== "regular-file") throw new FsError("is-directory", `'${path}' is not a file`);
      return vfs.read(node.ino, 0, node.size);
    });
  }

  writeFile(workspace: string, path: string, data: Uint8Array) {
    return wrap(async () => {
      const vfs = await this.#session(workspace);
      await ensureParents(vfs, path);
      await vfs.writeFileAt(ROOT_INO, clean(path), data);
    });
  }

  mkdir(workspace: string, path: string) {
    return wrap(async () => {
      const vfs = await this.#session(workspace);
      await ensureParents(vfs, path);
      await vfs.createDirectoryAt(ROOT_INO, clean(path));
    });
  }

  rename(workspace: string, from: string, to: string) {
    return wrap(async () => {
      const vfs = await this.#session(workspace);
      await ensureParents(vfs, to);
      await vfs.renameAt(ROOT_INO, clean(from), ROOT_INO, clean(to));
    });
  }

  remove(workspace: string, path: string) {
    return wrap(async () => removeTree(await this.#session(workspace), clean(path)));
  }

  async usage() {
    const est = await navigator.storage?.estimate?.().catch(() => undefined);
    const persisted = (await navigator.storage?.persisted?.().catch(() => false)) ?? false;
    return { usage: est?.usage ?? 0, quota: est?.quota ?? 0, persisted };
  }
}
