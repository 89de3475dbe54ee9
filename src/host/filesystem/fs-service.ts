/** The fs-owner worker's side of `FsApi`: workspace files for the UI, over the same Vfs as runs. */
import { errorMessage } from "../../base/assert";
import type { FsApi, FsEntry, FsResult } from "../../protocol/fs";
import { FsError } from "./errors";
import { ROOT_INO, type Vfs } from "./vfs";
import { ensureParents, type Workspaces } from "./workspace";

async function wrap<T>(f: () => Promise<T>): Promise<FsResult<T>> {
  try {
    return { ok: true, value: await f() };
  } catch (err) {
    if (err instanceof FsError) return { ok: false, code: err.code, message: err.message };
    return { ok: false, code: "io", message: errorMessage(err) };
  }
}

const clean = (path: string) => path.split("/").filter(Boolean).join("/");

async function removeTree(vfs: Vfs, path: string): Promise<void> {
  const node = await vfs.statAt(ROOT_INO, path, false);
  if (node.type !== "directory") return vfs.unlinkFileAt(ROOT_INO, path);
  for (const e of await vfs.readDirectory(node.ino)) await removeTree(vfs, `${path}/${e.name}`);
  await vfs.removeDirectoryAt(ROOT_INO, path);
}

export class FsService implements FsApi {
  constructor(private readonly workspaces: Workspaces) {}

  tree(workspace: string) {
    return wrap(async () => {
      const vfs = await this.workspaces.get(workspace);
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
      const vfs = await this.workspaces.get(workspace);
      const node = await vfs.statAt(ROOT_INO, clean(path), true);
      if (node.type !== "regular-file") throw new FsError("is-directory", `'${path}' is not a file`);
      return vfs.read(node.ino, 0, node.size);
    });
  }

  writeFile(workspace: string, path: string, data: Uint8Array) {
    return wrap(async () => {
      const vfs = await this.workspaces.get(workspace);
      await ensureParents(vfs, path);
      await vfs.writeFileAt(ROOT_INO, clean(path), data);
    });
  }

  mkdir(workspace: string, path: string) {
    return wrap(async () => {
      const vfs = await this.workspaces.get(workspace);
      await ensureParents(vfs, path);
      await vfs.createDirectoryAt(ROOT_INO, clean(path));
    });
  }

  rename(workspace: string, from: string, to: string) {
    return wrap(async () => {
      const vfs = await this.workspaces.get(workspace);
      await ensureParents(vfs, to);
      await vfs.renameAt(ROOT_INO, clean(from), ROOT_INO, clean(to));
    });
  }

  remove(workspace: string, path: string) {
    return wrap(async () => removeTree(await this.workspaces.get(workspace), clean(path)));
  }

  async usage() {
    const est = await navigator.storage?.estimate?.().catch(() => undefined);
    const persisted = (await navigator.storage?.persisted?.().catch(() => false)) ?? false;
    return { usage: est?.usage ?? 0, quota: est?.quota ?? 0, persisted };
  }
}
