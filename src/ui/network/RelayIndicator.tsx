/** The relay's state in a word, for the page header while the Network panel is out of sight. */
import { RELAY_TEXT, useNetState } from "./useNetState";
import "./network.css";

export function RelayIndicator({ onOpen }: { onOpen: () => void }) {
  const state = useNetState()?.relay.state ?? "none";
  return (
    <button type="button" className="relay-indicator" data-testid="relay-indicator" data-state={state} onClick={onOpen} title="The Wisp relay that carries connections out of the playground: open the Network panel">
      <span className="relay-dot" aria-hidden="true" /> Relay {RELAY_TEXT[state]}
    </button>
  );
}
