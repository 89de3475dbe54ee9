/** One trace session for the page's lifetime; runs and imports replace what it shows. */
import { useState } from "react";
import { TraceSession } from "./session";

export function useTraceSession(): TraceSession {
  return useState(() => new TraceSession())[0];
}
