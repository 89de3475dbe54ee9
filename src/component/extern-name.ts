/**
 * `importname'` / `exportname'` (Binary.md "Import and Export Definitions") as {@link ExternName}:
 * the encoded string with the parts a host matches on (unversioned name, version) worked out once,
 * the same way for names that were decoded and names that are built.
 */
import type { ExternName } from "./ast";

/** The name options of the 0x02 form. */
export interface ExternNameOptions {
  /** The discriminator byte; default 0x02 when a name option is given, else 0x00. */
  readonly encoding?: 0 | 1 | 2;
  readonly implements?: string;
  readonly versionSuffix?: string;
  readonly externalId?: string;
}

const INTERFACE_NAME = /^[^/:@[\]]+:[^/@]+\/./;

/**
 * The {@link ExternName} for `name` as it would be encoded: `externName("wasi:cli/run@0.3.0")` has
 * `unversioned` `wasi:cli/run` and `version` `0.3.0`; a plain name (`run`, `[method]r.m`) has no
 * version unless a `versionSuffix` option gives one.
 */
export function externName(name: string, options: ExternNameOptions = {}): ExternName {
  const isInterface = INTERFACE_NAME.test(name);
  const at = isInterface ? name.lastIndexOf("@") : -1;
  const unversioned = at < 0 ? name : name.slice(0, at);
  const hasOptions = options.implements !== undefined || options.versionSuffix !== undefined || options.externalId !== undefined;
  const encoding = options.encoding ?? (hasOptions ? 2 : 0);
  const version = at < 0 ? options.versionSuffix : name.slice(at + 1);
  return {
    name,
    unversioned,
    isInterface,
    encoding,
    ...(version !== undefined ? { version } : {}),
    ...(options.implements !== undefined ? { implements: options.implements } : {}),
    ...(options.versionSuffix !== undefined ? { versionSuffix: options.versionSuffix } : {}),
    ...(options.externalId !== undefined ? { externalId: options.externalId } : {}),
  };
}

/**
 * Why an interface name uses the nested syntax the Component Model gates (Explainer.md, 🪺): a
 * nested namespace (`foo:bar:baz/qux`) or a nested projection (`foo:bar/baz/qux`); null when it
 * does not (or is no interface name: plain names, `[method]r.m`, `url=<...>` dependencies).
 */
export function nestedNameError(name: string): string | null {
  if (!/^[a-z0-9-]+:/i.test(name)) return null;
  const at = name.indexOf("@");
  const base = at < 0 ? name : name.slice(0, at);
  const slash = base.indexOf("/");
  const head = slash < 0 ? base : base.slice(0, slash);
  if (head.indexOf(":") !== head.lastIndexOf(":")) return `'${name}' has a nested namespace (a second ':' before the '/'), which is not allowed yet: name it namespace:package/interface`;
  if (slash >= 0 && base.indexOf("/", slash + 1) >= 0) return `'${name}' has a nested projection (a second '/'), which is not allowed yet: name it namespace:package/interface`;
  return null;
}
