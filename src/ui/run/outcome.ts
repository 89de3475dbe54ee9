/** How a run's end reads in its console, and a timing-free summary to compare two runs by. */
import type { ClientOutcome } from "../../client/RuntimeClient";
import type { ConsoleModel } from "../console/consoleModel";
import { describeGuestError, guestErrorOf, type GuestError } from "./guestError";

/** What a run ended with, without timings: equal summaries mean equal results. */
export function outcomeSummary(o: ClientOutcome): string {
  switch (o.kind) {
    case "exit":
      return `exit ${o.code}`;
    case "returned":
      return `returned ${o.value}`;
    case "trap":
      return "trap";
    case "error":
      return `error: ${o.message}`;
    case "stopped":
      return "stopped";
  }
}

/**
 * Ends the console's output with a line saying how the run ended, how long it took and on which
 * engine. Returns the JS guest's error when a trap was one.
 */
export function describeOutcome(model: ConsoleModel, o: ClientOutcome, elapsedMs: number): GuestError | null {
  const ms = `${elapsedMs.toFixed(0)} ms${"timings" in o ? ` · engine/${o.timings.engine}` : ""}`;
  if (!model.text().endsWith("\n") && model.entries.length > 0) model.push("info", "\n");
  switch (o.kind) {
    case "exit":
      model.push(o.code === 0 ? "success" : "error", `exit status ${o.code} · ${ms}${o.timings.prepareCached ? " · cached" : ""}\n`);
      break;
    case "returned":
      model.push("success", `returned ${o.value} · ${ms}\n`);
      break;
    case "trap": {
      // A JS guest's panic says what the trap (`unreachable`) does not: the error and its line.
      const guest = guestErrorOf(model.text("stderr"));
      model.push("error", guest ? `trap: ${describeGuestError(guest)} · ${ms}\n${guest.hint ? `hint: ${guest.hint}\n` : ""}` : `trap: ${o.message} · ${ms}\n`);
      return guest;
    }
    case "error":
      model.push("error", `error: ${o.message}\n${o.hint ? `hint: ${o.hint}\n` : ""}`);
      break;
    case "stopped":
      model.push("error", `stopped by user after ${ms}\n`);
      break;
  }
  return null;
}
