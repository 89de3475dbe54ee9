/** The playground network's state (relay, sockets, denials), live from the page's NetClient. */
import { useEffect, useState } from "react";
import type { NetState, RelayStatus } from "../../protocol/net";
import { useNetwork } from "./NetworkContext";

export const RELAY_TEXT: Record<RelayStatus["state"], string> = {
  none: "no relay",
  idle: "not connected",
  connecting: "connecting…",
  open: "connected",
  lost: "lost",
  unreachable: "unreachable",
};

export function useNetState(): NetState | null {
  const { net } = useNetwork();
  const [state, setState] = useState<NetState | null>(null);
  useEffect(() => net.subscribe(setState), [net]);
  return state;
}
