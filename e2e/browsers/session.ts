/** One browser opened by a driver: its page, and how to close it (every process it started included). */
import type { BrowserPage } from "./page";

export interface BrowserSession {
  page: BrowserPage;
  /** Ends the session and stops, by PID, each process the driver started; safe to call after a failure. */
  close(): Promise<void>;
}
