// Installs what `npm start` and `npm test` need on a fresh machine: npm packages, Debian's browsers.
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

/**
 * The browsers `npm test` drives, each from Debian (never a browser download): the files each needs
 * and the packages that bring them. The paths can be overridden for a browser installed elsewhere;
 * e2e/browsers/ reads the same variables.
 */
const BROWSERS = {
  chromium: { label: "Chromium (Playwright)", files: [CHROMIUM], packages: ["chromium"], override: "CHROMIUM_PATH" },
  firefox: { label: "Firefox ESR (puppeteer-core over WebDriver BiDi)", files: [process.env.FIREFOX_PATH ?? "/usr/bin/firefox-esr"], packages: ["firefox-esr"], override: "FIREFOX_PATH" },
  webkit: {
    label: "WebKitGTK (WebKitWebDriver under Xvfb)",
    files: [
      process.env.WEBKIT_DRIVER_PATH ?? "/usr/bin/WebKitWebDriver",
      process.env.MINIBROWSER_PATH ?? "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
      "/usr/bin/Xvfb",
    ],
    packages: ["webkit2gtk-driver", "xvfb"],
    override: "WEBKIT_DRIVER_PATH and MINIBROWSER_PATH",
  },
};

/**
 * Installs with one apt-get run the Debian packages of each named browser (`chromium`, `firefox`,
 * `webkit`) whose files are missing; throws, naming the packages, when that fails.
 */
export function ensureBrowsers(names) {
  const missing = names.map((n) => BROWSERS[n]).filter((b) => b.files.some((f) => !existsSync(f)));
  if (missing.length === 0) return;
  const packages = missing.flatMap((b) => b.packages);
  console.log(`» not installed: ${missing.map((b) => b.label).join(", ")}; installing Debian ${packages.join(" ")} with apt-get`);
  const sudo = process.getuid?.() === 0 ? "" : "sudo ";
  try {
    sh(`${sudo}apt-get update -qq && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${packages.join(" ")}`);
  } catch {
    throw new Error(`Could not install ${packages.join(" ")} with apt-get. Install them (apt-get install ${packages.join(" ")}) or point ${missing.map((b) => b.override).join(", ")} at an installed copy.`);
  }
  for (const b of missing) {
    const still = b.files.filter((f) => !existsSync(f));
    if (still.length > 0) throw new Error(`apt-get finished but ${still.join(", ")} ${still.length > 1 ? "are" : "is"} still missing (${b.label}); set ${b.override}.`);
  }
}

/** Debian's Chromium (JSPI on); installed with apt-get when missing. */
export function ensureChromium() {
  ensureBrowsers(["chromium"]);
}

/** Example components and the production bundle. */
export function build() {
  console.log("» building example components");
  sh("node scripts/build-examples.mjs");
  console.log("» building the app");
  sh("npx vite build --logLevel warn");
}
