/**
 * Which workbench tab to bring forward when a component has been inspected. The Network panel
 * stays a tab in the background until a component that uses the network (wasi:sockets, or later
 * wasi:http) is loaded; then it comes forward, and it steps back when a component that does not is
 * loaded. A component that serves HTTP brings the HTTP tab forward instead (its preview and
 * request panel). The editors are never taken away from: a component built in "Write a component"
 * stays beside its source, a composition run from the Composition tab beside its graph, a lesson's
 * exercise run from the Learn tab beside the lesson (its HTTP lesson serves a handler).
 */
import type { ComponentInfo } from "../../protocol/runtime";
import { servesHttp } from "../http/serve";

const NETWORK_PACKAGES = ["wasi:sockets/", "wasi:http/"];
/** Tabs where the user builds what gets loaded: they stay in front. */
const EDITORS = new Set(["write", "composition", "learn"]);

export function isNetworked(info: ComponentInfo): boolean {
  return info.imports.some((i) => NETWORK_PACKAGES.some((p) => i.name.startsWith(p)));
}

/** The tab to show for `info` while the workbench shows `current`, or null to leave it as it is. */
export function workbenchTabFor(info: ComponentInfo | null, current: string | null): "network" | "http" | "component" | null {
  if (!info || EDITORS.has(current ?? "")) return null;
  const wanted = servesHttp(info) ? "http" : isNetworked(info) ? "network" : null;
  if (wanted) return current === wanted ? null : wanted;
  return current === "network" || current === "http" ? "component" : null;
}
