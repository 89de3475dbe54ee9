/**
 * The playground's network for every panel: one NetClient (one hub) per page, the relay it uses
 * (the app server's, unless the user set another), and the run allow-list, both kept in
 * localStorage. Runs get the valid allow-list lines in their manifest.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { parseAllowList } from "../../base/allow-list";
import { NetClient, type RelayInfo } from "../../client/NetClient";
import { Services } from "./services";

const RELAY_KEY = "wasi-playground:relay-url";
const ALLOW_KEY = "wasi-playground:allow-list";

export interface NetworkSettings {
  net: NetClient;
  /** The app server's relay, once known (null: it has none, or this is not our server). */
  serverRelay: RelayInfo | null;
  /** The relay in use: the user's choice, else the server's. */
  relayUrl: string | null;
  /** Sets the relay URL; null goes back to the server's. */
  setRelayUrl(url: string | null): void;
  allowText: string;
  setAllowText(text: string): void;
  /** The allow-list entries a run gets (lines with errors are left out and shown in the editor). */
  allow: string[];
  /** Components running in the background. */
  services: Services;
}

const Ctx = createContext<NetworkSettings | null>(null);

const stored = (key: string) => {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
};
const store = (key: string, value: string | null) => {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Storage unavailable (private mode): the setting lasts for this page only.
  }
};

export function NetworkProvider({ children }: { children: ReactNode }) {
  // One hub for the page's lifetime: not disposed on unmount (StrictMode remounts in development).
  const [net] = useState(() => new NetClient());
  const [services] = useState(() => new Services(net));
  const [serverRelay, setServerRelay] = useState<RelayInfo | null>(null);
  const [userRelay, setUserRelay] = useState<string | null>(() => stored(RELAY_KEY));
  const [allowText, setAllowTextState] = useState(() => stored(ALLOW_KEY) ?? "");

  useEffect(() => {
    void NetClient.defaultRelay().then(setServerRelay);
  }, []);

  const relayUrl = userRelay ?? serverRelay?.url ?? null;
  useEffect(() => {
    void net.setRelay(relayUrl, userRelay === null ? (serverRelay?.policy ?? []) : []);
  }, [net, relayUrl, userRelay, serverRelay]);

  const setRelayUrl = useCallback((url: string | null) => {
    store(RELAY_KEY, url);
    setUserRelay(url);
  }, []);
  const setAllowText = useCallback((text: string) => {
    store(ALLOW_KEY, text);
    setAllowTextState(text);
  }, []);
  const allow = useMemo(() => parseAllowList(allowText).entries.map((e) => e.text), [allowText]);

  const value = useMemo(
    () => ({ net, serverRelay, relayUrl, setRelayUrl, allowText, setAllowText, allow, services }),
    [net, serverRelay, relayUrl, setRelayUrl, allowText, setAllowText, allow, services],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useNetwork(): NetworkSettings {
  const v = useContext(Ctx);
  if (!v) throw new Error("useNetwork() outside <NetworkProvider>");
  return v;
}

export function useNetClient(): NetClient {
  return useNetwork().net;
}
