/**
 * Owns the fs-owner worker: workspace files for the UI. Changes made anywhere (a run in this tab,
 * another tab, this client) arrive as notices on the workspace's BroadcastChannel.
 */
import { wrap, type Remote } from "comlink";
import { fsChannelName, type FsApi, type FsChangeNotice } from "../protocol/fs";

export class FsClient {
  #worker: Worker;
  readonly api: Remote<FsApi>;

  constructor(spawn: () => Worker = spawnFsWorker) {
    this.#worker = spawn();
    this.api = wrap<FsApi>(this.#worker);
  }

  /** Calls `onChange` (debounced) whenever the workspace changes; returns the unsubscribe. */
  subscribe(workspace: string, onChange: (n: FsChangeNotice) => void, debounceMs = 100): () => void {
    const ch = new BroadcastChannel(fsChannelName(workspace));
    let timer: ReturnType<typeof setTimeout> | undefined;
    ch.onmessage = (e: MessageEvent<FsChangeNotice>) => {
      clearTimeout(timer);
      timer = setTimeout(() => onChange(e.data), debounceMs);
    };
    return () => {
      clearTimeout(timer);
      ch.close();
    };
  }

  /** Asks the browser to keep this site's storage under pressure; true if granted. */
  static requestPersistence(): Promise<boolean> {
    return navigator.storage?.persist?.().catch(() => false) ?? Promise.resolve(false);
  }

  dispose(): void {
    this.#worker.terminate();
  }
}

export function spawnFsWorker(): Worker {
  return new Worker(new URL("../../workers/fs-owner.worker.ts", import.meta.url), { type: "module", name: "fs-owner" });
}
