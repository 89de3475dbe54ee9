/**
 * WIT names in jco's JavaScript conventions: functions, fields and interface objects in
 * camelCase, resources as classes in PascalCase (`get-name` -> `getName`, `input-stream` -> `InputStream`).
 */

/** `kebab-case` -> `kebabCase`: each letter or digit after a `-` is upper-cased, the dash dropped. */
export function camelCase(name: string): string {
  return name.replace(/-([a-zA-Z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** `kebab-case` -> `KebabCase`. */
export function pascalCase(name: string): string {
  return camelCase(name).replace(/^[a-z]/, (c) => c.toUpperCase());
}
