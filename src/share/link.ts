/**
 * Where a project lives in a URL: the state itself in the hash (`/#/p/<base64url>`), or a short
 * link's id in the path (`/s/<id>`, the state on the server). `?embed=1` asks for the compact
 * read-only view of the same project.
 */
import { shareIdFromPath } from "../protocol/share-api";

/** The hash route of a project link; the rest of the hash is the encoded state. */
export const LINK_HASH_PREFIX = "#/p/";

/**
 * Past this many characters a link is cut by some chats, forums and mail programs (and is a
 * handful to paste): the Share menu then puts the short link first.
 */
export const SHORT_LINK_ADVISED = 2000;

export type LinkTarget = { kind: "hash"; data: string } | { kind: "short"; id: string } | { kind: "none" };

/** What a page's location asks to open. */
export function linkTarget(loc: { pathname: string; hash: string }): LinkTarget {
  if (loc.hash.startsWith(LINK_HASH_PREFIX)) return { kind: "hash", data: loc.hash.slice(LINK_HASH_PREFIX.length) };
  const id = shareIdFromPath(loc.pathname);
  return id ? { kind: "short", id } : { kind: "none" };
}

/** The link to the project whose encoded state is `data`. */
export function projectLink(origin: string, data: string): string {
  return `${origin}/${LINK_HASH_PREFIX}${data}`;
}

export function isEmbed(search: string): boolean {
  return new URLSearchParams(search).get("embed") === "1";
}

/** `url` as an embed (`?embed=1`), or back as the playground. */
export function withEmbed(url: string, embed: boolean): string {
  const u = new URL(url);
  if (embed) u.searchParams.set("embed", "1");
  else u.searchParams.delete("embed");
  return u.href;
}

/** The HTML to paste into a page or post to embed the project at `url`. */
export function embedSnippet(url: string, title: string): string {
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  return `<iframe src="${esc(withEmbed(url, true))}" title="${esc(title)}" width="100%" height="480" style="border:1px solid #8884;border-radius:6px" loading="lazy"></iframe>`;
}
