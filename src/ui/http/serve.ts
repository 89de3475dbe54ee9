/** Whether a component can be served (it exports `wasi:http/handler` 0.3), and its address bar. */
import type { ComponentInfo } from "../../protocol/runtime";
import { parsePreviewPath } from "../../protocol/preview";

const HANDLER = /^wasi:http\/handler@0\.3\./;

export function servesHttp(info: ComponentInfo): boolean {
  return info.exports.some((e) => HANDLER.test(e));
}

/** Whether function `iface#name` is the handler's (served, not called from the run panel). */
export function isHandlerFunc(iface: string | null): boolean {
  return iface !== null && HANDLER.test(iface);
}

/** What the address bar shows for a location in the preview: the handler's path, from `/`. */
export function addressOf(pathAndQuery: string): string {
  return parsePreviewPath(pathAndQuery)?.path ?? pathAndQuery;
}

/** The preview URL for what was typed in the address bar (a path; a leading `/` is added). */
export function previewUrl(preview: string, typed: string): string {
  const t = typed.trim();
  const path = t === "" ? "/" : t.startsWith("/") ? t : `/${t}`;
  return `${preview.replace(/\/$/, "")}${path}`;
}
