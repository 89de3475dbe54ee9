import { defineConfig } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 8181);

export default defineConfig({
  testDir: "e2e",
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  webServer: {
    // The app from dist/ (`npx vite build`) and the e2e fixture pages, built apart into dist-test/ when their sources changed.
    command: `node scripts/build-test-pages.mjs && node --import tsx server/index.ts`,
    env: { PORT: String(PORT), RELAY_CONFIG: "e2e/fixtures/relay-policy.json", TEST_PAGES_DIR: "dist-test" },
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 300_000,
  },
});
