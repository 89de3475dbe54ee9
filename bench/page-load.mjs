// First page load, from outside the page (Node + Playwright): `page_load_interactive` is navigation
// start to the first example being clickable (median of `reps` loads, each in a fresh browser
// context, so with an empty cache); `first_load_kib` is what those loads transferred until the
// network went quiet (headers and bodies as sent: compressed where the server compressed them).
// Used by scripts/bench.mjs; `node bench/page-load.mjs URL [reps]` measures any running server
// (how the numbers of main were taken).

/** Records when the first example button exists and is enabled, on the page's own clock. */
const WATCH_FIRST_EXAMPLE = () => {
  const check = () => {
    const b = document.querySelector('[data-testid^="example-"]');
    if (b && !b.disabled && window.__firstExampleAt === undefined) window.__firstExampleAt = performance.now();
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
};

/** Bytes a response took on the wire: its headers and its body as encoded. */
async function wireBytes(request) {
  const response = await request.response();
  if (!response) return 0;
  const sizes = await request.sizes();
  const headers = await response.allHeaders();
  const declared = Number(headers["content-length"]);
  // Chromium reports a worker's own script with no body size; its declared or actual length stands in.
  let body = sizes.responseBodySize;
  if (body === 0 && Number.isFinite(declared)) body = declared;
  if (body === 0 && !headers["content-encoding"]) body = (await response.body().catch(() => Buffer.alloc(0))).length;
  return sizes.responseHeadersSize + body;
}

export async function measurePageLoad(browser, url, reps = 5) {
  const times = [];
  const bytes = [];
  const requests = new Map();
  for (let i = 0; i < reps; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(WATCH_FIRST_EXAMPLE);
    const pending = [];
    let last = Date.now();
    page.on("request", () => (last = Date.now()));
    page.on("requestfinished", (r) => {
      last = Date.now();
      pending.push(wireBytes(r).then((b) => [new URL(r.url()).pathname, b]));
    });
    await page.goto(url);
    await page.waitForFunction(() => window.__firstExampleAt !== undefined, undefined, { timeout: 60_000 });
    times.push(await page.evaluate(() => window.__firstExampleAt));
    // Quiet for a second: what the page fetches on its own at start (workers, their wasm) is in.
    const deadline = Date.now() + 30_000;
    while (Date.now() - last < 1000 && Date.now() < deadline) await page.waitForTimeout(100);
    const done = await Promise.all(pending);
    bytes.push(done.reduce((n, [, b]) => n + b, 0));
    if (i === 0) for (const [path, b] of done) requests.set(path, (requests.get(path) ?? 0) + b);
    await context.close();
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return {
    result: {
      page_load_interactive: { ours: median(times), samples: reps },
      first_load_kib: { ours: median(bytes) / 1024, samples: reps },
    },
    /** The first load's requests, largest first: what to look at when the bytes grow. */
    requests: [...requests].sort((a, b) => b[1] - a[1]),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { chromium } = await import("playwright-core");
  const { CHROMIUM } = await import("../scripts/ensure.mjs");
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const { result, requests } = await measurePageLoad(browser, process.argv[2], Number(process.argv[3] ?? 5));
    for (const [path, b] of requests) console.log(`${(b / 1024).toFixed(1).padStart(9)} KiB  ${path}`);
    console.log(JSON.stringify(result));
  } finally {
    await browser.close();
  }
}
