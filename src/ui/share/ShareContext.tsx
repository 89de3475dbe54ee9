/**
 * The page's share session (session.ts) for React: `ShareProvider` makes it and its seams
 * (parts.tsx) available, `useShare()` gives the session and its view, `useShareStart()` opens the
 * project the URL names once the page's seams are registered. `window.__share` lets e2e tests read
 * the project state exactly.
 */
import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from "react";
import { serializeProject } from "../../share/schema";
import { BlobStore } from "./blobs";
import { PartRegistry, PartsProvider } from "./parts";
import { ShareSession, type ShareView } from "./session";

declare global {
  interface Window {
    /** Read by e2e tests: the project state of what the page shows, as canonical JSON. */
    __share?: { serialized(): Promise<string> };
  }
}

const Ctx = createContext<ShareSession | null>(null);

export function ShareProvider({ embed, children }: { embed: boolean; children: ReactNode }) {
  const [session] = useState(() => new ShareSession(new PartRegistry(), new BlobStore(), embed));
  useEffect(() => {
    window.__share = { serialized: async () => serializeProject((await session.current()).state) };
    return () => {
      delete window.__share;
    };
  }, [session]);
  return (
    <PartsProvider registry={session.parts}>
      <Ctx.Provider value={session}>{children}</Ctx.Provider>
    </PartsProvider>
  );
}

export function useShare(): { session: ShareSession; view: ShareView } {
  const session = useContext(Ctx);
  if (!session) throw new Error("useShare() outside <ShareProvider>");
  const view = useSyncExternalStore(
    (f) => session.subscribe(f),
    () => session.view,
  );
  return { session, view };
}

/** Opens what the URL names; call it after the hooks that register the page's seams. */
export function useShareStart(): void {
  const { session } = useShare();
  useEffect(() => {
    void session.start();
  }, [session]);
}
