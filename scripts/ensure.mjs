// Installs what `npm start` and `npm test` need on a fresh machine: npm packages, Debian Chromium.
// Only Node built-ins here: this runs before node_modules exists.
import { execSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

export const root = fileURLToPath(new URL("..", import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function sh(cmd, opts = {}) {
  execSync(cmd, { stdio: "inherit", cwd: root, ...opts });
}

/**
 * `npm install` when node_modules is missing or older than package-lock.json. (Not `npm ci`: the
 * lock file lists only this platform's optional native bindings, which `npm ci` rejects.)
 */
export function ensureDeps() {
  const marker = join(root, "node_modules", ".package-lock.json");
  const lock = join(root, "package-lock.json");
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log("» installing npm packages");
  sh("npm install --no-audit --no-fund");
}

/** Debian's Chromium (JSPI on); installed with apt-get when missing. Never a downloaded browser. */
export function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  console.log(`» ${CHROMIUM} not found: installing Debian chromium with apt-get`);
  const sudo = process.getuid?.() === 0 ? "" : "sudo ";
  try {
    sh(`${sudo}apt-get update -qq && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium`);
  } catch {
    throw new Error(`Could not install chromium with apt-get. Install it (apt-get install chromium) or set CHROMIUM_PATH.`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get finished but ${CHROMIUM} is still missing; set CHROMIUM_PATH.`);
}

/** Example components and the production bundle. */
export function build() {
  console.log("» building example components");
  sh("node scripts/build-examples.mjs");
  console.log("» building the app");
  sh("npx vite build --logLevel warn");
}
