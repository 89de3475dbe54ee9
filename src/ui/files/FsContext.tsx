/** The page's one connection to the fs-owner, for the Files panel and for runs (their preopens). */
import { createContext, useContext, useState, type ReactNode } from "react";
import { FsClient } from "../../client/FsClient";

const Ctx = createContext<FsClient | null>(null);

export function FsProvider({ children }: { children: ReactNode }) {
  // One connection for the page's lifetime: not closed on unmount (StrictMode remounts in development).
  const [client] = useState(() => new FsClient());
  return <Ctx.Provider value={client}>{children}</Ctx.Provider>;
}

export function useFsClient(): FsClient {
  const v = useContext(Ctx);
  if (!v) throw new Error("useFsClient() outside <FsProvider>");
  return v;
}
