/**
 * Background runs across a reload (backgroundRuns.ts): records what runs, and after a reload says
 * which runs it stopped, with one click to start them again from what was recorded.
 */
import { useEffect, useState } from "react";
import { useFsClient } from "../files/FsContext";
import { useNetwork } from "../network/NetworkContext";
import { BACKGROUND_KEY, describeRuns, parseStoppedRuns, serializeRunning, type StoppedRun } from "./backgroundRuns";
import { useShare } from "./ShareContext";

const read = () => {
  try {
    return sessionStorage.getItem(BACKGROUND_KEY);
  } catch {
    return null;
  }
};
const write = (text: string) => {
  try {
    sessionStorage.setItem(BACKGROUND_KEY, text);
  } catch {
    // Unavailable: a reload then stops runs without the notice.
  }
};

export function BackgroundRunsNotice() {
  const { services } = useNetwork();
  const files = useFsClient();
  const { session } = useShare();
  // Read before this page records its own (empty) list.
  const [stopped, setStopped] = useState<StoppedRun[]>(() => parseStoppedRuns(read()));
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let last = "";
    const save = async () => {
      const running = services.list.filter((s) => s.running);
      const key = running.map((s) => s.id).join(",");
      if (key === last) return;
      last = key;
      const runs = await Promise.all(
        running.map(async (s): Promise<StoppedRun> => ({
          name: s.start.name,
          sha256: await session.blobs.hash(s.start.bytes),
          req: s.start.req,
          settings: { engine: s.start.settings.engine, allow: [...s.start.settings.allow], preopens: s.start.settings.preopens.map((p) => ({ ...p })) },
        })),
      );
      if (key === last) write(serializeRunning(runs));
    };
    void save();
    return services.subscribe(() => void save());
  }, [services, session]);

  if (stopped.length === 0 && !error) return null;

  const restart = async () => {
    const runs = stopped;
    setStopped([]);
    for (const r of runs) {
      const got = await session.blobs.fetch(r.sha256);
      if (!got.ok) {
        setError(`${r.name} could not be restarted: ${got.error}`);
        continue;
      }
      services.start(r.name, got.bytes, r.req, r.settings, files);
    }
  };

  return (
    <div className="share-notices">
      {stopped.length > 0 && (
      <div className="share-notice share-warn" role="alert" data-testid="background-stopped">
        <span>
          The reload stopped {stopped.length === 1 ? "a background run" : `${stopped.length} background runs`}: {describeRuns(stopped)}. A page's runs end with it; they can start again with the same arguments and settings (their state starts fresh).
        </span>
        <button type="button" data-testid="background-restart" onClick={() => void restart()}>
          Restart {stopped.length === 1 ? "it" : "them"}
        </button>
        <button type="button" onClick={() => setStopped([])}>
          Dismiss
        </button>
      </div>
      )}
      {error && (
        <p className="share-notice share-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
