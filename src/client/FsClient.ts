/**
 * Owns the page's connection to the fs-owner worker: workspace files for the UI, and a
 * connection per run (`connectRun`). The owner is a SharedWorker, one for every tab, so every
 * tab's runs and Files panel reach the same workspaces through it; where the browser has no
 * SharedWorker it is a dedicated worker, and only the first tab gets the workspace. Changes made
 * anywhere arrive as notices on the workspace's BroadcastChannel.
 */
import { transfer, wrap, type Remote } from "comlink";
import { fsChannelName, type FsApi, type FsChangeNotice, type RunFilesystem } from "../protocol/fs";

export class FsClient {
  readonly api: Remote<FsApi>;

  /** One per page (the shared owner outlives it; a dedicated one lives as long as the page). */
  constructor(connect: () => MessagePort | Worker = connectFsOwner) {
    this.api = wrap<FsApi>(connect());
  }

  /** A connection for one run (pass it with the run: it is transferred). */
  connectRun(): RunFilesystem {
    const ch = new MessageChannel();
    void this.api.attachRun(transfer(ch.port1, [ch.port1]));
    return { port: ch.port2 };
  }

  /**
   * Calls `onChange` with the notices of each burst (debounced) whenever the workspace changes;
   * returns the unsubscribe.
   */
  subscribe(workspace: string, onChange: (notices: FsChangeNotice[]) => void, debounceMs = 100): () => void {
    const ch = new BroadcastChannel(fsChannelName(workspace));
    let timer: ReturnType<typeof setTimeout> | undefined;
    let burst: FsChangeNotice[] = [];
    ch.onmessage = (e: MessageEvent<FsChangeNotice>) => {
      burst.push(e.data);
      clearTimeout(timer);
      timer = setTimeout(() => {
        const notices = burst;
        burst = [];
        onChange(notices);
      }, debounceMs);
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
}

/** The shared fs-owner (bundled by Vite), or a dedicated one where SharedWorker is missing. */
export function connectFsOwner(): MessagePort | Worker {
  if (typeof SharedWorker === "function") {
    // Vite bundles a worker only when `new URL(...)` is written inside the constructor call.
    const shared = new SharedWorker(new URL("../../workers/fs-owner.worker.ts", import.meta.url), { type: "module", name: "fs-owner" });
    shared.port.start();
    return shared.port;
  }
  return new Worker(new URL("../../workers/fs-owner.worker.ts", import.meta.url), { type: "module", name: "fs-owner" });
}
