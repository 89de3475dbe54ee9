/**
 * The composition editor (src/ui/composition) in the built app, on the real example components:
 * the gateway opens from the gallery as a ready graph, runs from the run panel and answers; a
 * mismatched wire is refused with its reason (dragged on the canvas, and chosen from an import's
 * list); undo, redo and delete by keyboard; the downloaded .wasm, opened again, is one component
 * with the graph's WIT that answers alike on engine/jco and engine/cm; the graph survives a
 * reload; bad input (not a component, a refused open import) is a clear message; a 50-instance
 * graph stays usable.
 */
import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";

const API = "playground:gateway/api@0.1.0";
const KEYS = "playground:gateway/keys@0.1.0";
const USERS = "playground:gateway/users@0.1.0";
const ALICE = '{"user":{"name":"Alice","plan":"pro"},"orders":[{"id":1041,"item":"teapot"},{"id":1077,"item":"cups"}]}';

const panel = (page: Page) => page.getByTestId("composition-panel");
const notice = (page: Page) => page.getByTestId("composition-notice");
const node = (page: Page, name: string) => page.getByTestId(`cnode-${name}`);
const instances = (page: Page) => panel(page).locator('[data-testid^="cnode-"]:not([data-testid="cnode-exports"])');

async function openGateway(page: Page) {
  await page.goto("/");
  await page.getByTestId("group-gateway").locator("summary").click();
  await page.getByTestId("open-graph-gateway").click();
  await expect(page.getByTestId("dock-tab-composition")).toHaveAttribute("aria-selected", "true");
  await expect(instances(page)).toHaveCount(6);
  await expect(notice(page)).toContainText("Opened the gateway composition (6 instances).");
  await expect(page.getByTestId("composition-wit")).toContainText(`export ${API};`);
}

/** The gateway's /me request for alice, called from the run panel. */
async function fillAliceRequest(page: Page) {
  await expect(page.getByTestId("run")).toBeEnabled();
  await expect(page.getByTestId("export-picker")).toContainText(`${API}#handle`);
  await page.getByTestId("arg-client").fill("10.0.0.1");
  await page.getByTestId("arg-token").fill("tok_alice_7f3a");
  await page.getByTestId("arg-path").fill("/me");
}

/** The element's box once it has stopped moving (the canvas animates a fit). */
async function settledBox(page: Page, selector: string) {
  let last = "";
  for (;;) {
    const box = (await page.locator(selector).boundingBox())!;
    if (JSON.stringify(box) === last) return box;
    last = JSON.stringify(box);
    await page.waitForTimeout(150);
  }
}

/** Drags from the centre of one handle to another with the mouse, checking the live verdict before letting go. */
async function drag(page: Page, from: string, to: string, verdict: RegExp) {
  const a = await settledBox(page, from);
  const b = await settledBox(page, to);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + 40, a.y + 20, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 10 });
  await expect(page.getByTestId("wire-check")).toHaveText(verdict);
  await page.mouse.up();
}

test("the gateway opens from the gallery as a ready graph, runs from the run panel on engine/cm and answers; it survives a reload", async ({ page }) => {
  await openGateway(page);
  await expect(node(page, "router")).toContainText("gateway-router.wasm");
  // Each port's WIT is in its tooltip.
  await expect(node(page, "auth").locator(`[data-port="${KEYS}"]`)).toHaveAttribute("title", /lookup: async func\(token: string\) -> option<string>/);
  await page.getByTestId("composition-run").click();
  await expect(page.locator(".run-controls h2")).toContainText("gateway.wasm");
  await fillAliceRequest(page);
  await page.getByTestId("run").click();
  // The `ok` string, printed as JSON.
  await expect(page.getByTestId("console")).toContainText(`returned ${JSON.stringify(ALICE)}`);
  await expect(page.getByTestId("dock-tab-composition")).toHaveAttribute("aria-selected", "true");

  // A moved node and a rename are saved with the graph; after a reload nothing is lost.
  await page.getByTestId("instance-select").selectOption({ label: "orders" });
  await page.getByTestId("instance-name").fill("shop");
  await page.getByTestId("instance-name").press("Enter");
  await expect(node(page, "shop")).toBeVisible();
  await expect(panel(page)).toHaveAttribute("data-saved", "saved");
  await page.reload();
  await expect(panel(page)).toHaveAttribute("data-restored", "true");
  await expect(instances(page)).toHaveCount(6);
  await expect(node(page, "shop")).toBeVisible();
  await expect(node(page, "orders")).toHaveCount(0);
  await expect(page.getByTestId("composition-wit")).toContainText(`export ${API};`);
  await expect(panel(page).locator(".composition-toolbar strong")).toHaveText("gateway");
});

test("a graph opened while the saved one is still being restored stays open: the restore, landing later, does not replace it", async ({ page }) => {
  await page.goto("/");
  await page.getByTestId("group-pipeline").locator("summary").click();
  await page.getByTestId("open-graph-pipeline").click();
  await expect(panel(page).locator(".composition-toolbar strong")).toHaveText("pipeline");
  await expect(panel(page)).toHaveAttribute("data-saved", "saved");

  // After the reload the gallery's example list arrives at once; the composition's own copy (its
  // restore starts from it) 3 s later, so the gateway is opened while the pipeline is being restored.
  let served = 0;
  await page.route("**/components/index.json", async (route) => {
    if (served++ > 0) await new Promise((r) => setTimeout(r, 3000));
    await route.continue();
  });
  await page.reload();
  await page.getByTestId("group-gateway").locator("summary").click();
  await page.getByTestId("open-graph-gateway").click();
  await expect(panel(page)).toHaveAttribute("data-restored", "false");
  await expect(panel(page)).toHaveAttribute("data-restored", "true", { timeout: 10_000 });
  await expect(notice(page)).toContainText("Opened the gateway composition (6 instances). Ctrl+Z brings back the graph you had.");
  await expect(panel(page).locator(".composition-toolbar strong")).toHaveText("gateway");
  await expect(instances(page)).toHaveCount(6);
  // The restored pipeline is one undo away.
  await page.getByTestId("composition-undo").click();
  await expect(panel(page).locator(".composition-toolbar strong")).toHaveText("pipeline");
});

test("a mismatched wire is refused with its reason, dragged or chosen; undo, redo and Delete work from the keyboard", async ({ page }) => {
  // Room for the canvas to draw the handles large enough to aim at.
  await page.setViewportSize({ width: 1920, height: 1080 });
  await openGateway(page);
  await page.getByTestId("library-add-gateway-router.wasm").click();
  await expect(node(page, "router-2")).toBeVisible();
  await page.getByTestId("composition-layout").click();

  // Dragged: keys' export onto router-2's `users` import, whose type is upstream's.
  const keysOut = `[data-testid="cnode-keys"] [data-port="${KEYS}"] .react-flow__handle`;
  const usersIn = `[data-testid="cnode-router-2"] [data-port="${USERS}"] .react-flow__handle`;
  await drag(page, keysOut, usersIn, /^✗ `keys`'s export `playground:gateway\/keys@0\.1\.0` does not match: /);
  await expect(notice(page)).toContainText("Refused: `keys`'s export `playground:gateway/keys@0.1.0` does not match: ");
  await expect(page.getByTestId("wire-check")).toHaveCount(0);
  // The matching one is accepted.
  const usersOut = `[data-testid="cnode-users"] [data-port="playground:gateway/upstream@0.1.0"] .react-flow__handle`;
  await drag(page, usersOut, usersIn, /^✓ the types match$/);
  await expect(node(page, "router-2").locator(`[data-port="${USERS}"]`)).toHaveAttribute("title", /from users/);

  // Chosen from the import's list: the option says it does not fit, and choosing it says why.
  await page.getByTestId("instance-select").selectOption({ label: "router-2" });
  const feed = page.getByTestId(`feed-playground:gateway/orders@0.1.0`);
  await expect(feed.locator("option", { hasText: "✗ keys ▸ gateway/keys (does not fit)" })).toHaveCount(1);
  await feed.selectOption({ label: "✗ keys ▸ gateway/keys (does not fit)" });
  await expect(notice(page)).toContainText("Refused: `keys`'s export `playground:gateway/keys@0.1.0` does not match: ");
  await expect(feed).toHaveValue("open:forward");

  // Undo and redo the wire, by keyboard, from the canvas.
  await node(page, "router-2").click();
  await page.keyboard.press("Control+z");
  await expect(node(page, "router-2").locator(`[data-port="${USERS}"]`)).toHaveAttribute("title", /open: an import of the composition/);
  await page.keyboard.press("Control+Shift+z");
  await expect(node(page, "router-2").locator(`[data-port="${USERS}"]`)).toHaveAttribute("title", /from users/);
  // Delete removes the selected instance; Ctrl+Z brings it back, Ctrl+Y takes it away again.
  await node(page, "router-2").click();
  await page.keyboard.press("Delete");
  await expect(node(page, "router-2")).toHaveCount(0);
  await expect(instances(page)).toHaveCount(6);
  await page.keyboard.press("Control+z");
  await expect(node(page, "router-2")).toBeVisible();
  await page.keyboard.press("Control+y");
  await expect(node(page, "router-2")).toHaveCount(0);
});

test("the downloaded .wasm, opened again, is one component with the graph's WIT, and engine/jco and engine/cm agree on it", async ({ page }) => {
  await openGateway(page);
  const wit = (await page.getByTestId("composition-wit").textContent())!;
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByTestId("composition-download").click()]);
  expect(file.suggestedFilename()).toBe("gateway.wasm");
  const bytes = await readFile((await file.path())!);
  // A component (layer 1), not a core module.
  expect([...bytes.subarray(0, 8)]).toEqual([0, 0x61, 0x73, 0x6d, 0x0d, 0, 0x01, 0]);

  await page.getByTestId("file-input").setInputFiles({ name: "gateway-downloaded.wasm", mimeType: "application/wasm", buffer: bytes });
  await page.getByTestId("dock-tab-component").click();
  await expect(page.getByTestId("exports")).toContainText(API);
  expect(await page.getByTestId("wit").textContent()).toBe(wit);
  await fillAliceRequest(page);
  await page.getByTestId("run").click();
  await expect(page.getByTestId("console")).toContainText(`returned ${JSON.stringify(ALICE)}`);
  await page.getByTestId("compare").click();
  await expect(page.getByTestId("console")).toContainText("engines agree", { timeout: 90_000 });
  await expect(page.getByTestId("console")).toContainText(`returned ${JSON.stringify(ALICE)}`);
});

test("bad input is a clear message and the graph stays: a file that is not a component, a refused open import", async ({ page }) => {
  await openGateway(page);
  await page.getByTestId("composition-file-input").setInputFiles({ name: "junk.wasm", mimeType: "application/wasm", buffer: Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]) });
  await expect(notice(page)).toContainText("`junk.wasm` is not a component this playground can compose: ");
  await page.getByTestId("library-add-junk.wasm").click();
  await expect(notice(page)).toContainText("Cannot add it: `junk.wasm` is not a component this playground can compose: ");
  await expect(instances(page)).toHaveCount(6);

  // auth's `keys` import left open and refused: the graph names it, Run and Download say why.
  await page.getByTestId("instance-select").selectOption({ label: "auth" });
  await page.getByTestId(`feed-${KEYS}`).selectOption("open:refuse");
  await expect(page.getByTestId("composition-problems")).toContainText(`instance \`auth\`, import \`${KEYS}\`: is not wired and its policy is to refuse it`);
  await page.getByTestId("composition-run").click();
  await expect(notice(page)).toContainText("Cannot compose gateway: 1 problem");
  await page.getByTestId("composition-undo").click();
  await expect(page.getByTestId("composition-problems").locator("li")).toHaveCount(0);
  await expect(page.getByTestId("composition-wit")).toContainText(`export ${API};`);
});

test("a 50-instance graph stays usable: auto-wired, composed, laid out and undone", async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto("/");
  await page.getByTestId("dock-tab-composition").click();
  await expect(panel(page)).toHaveAttribute("data-restored", "true");
  await page.getByTestId("library-add-gateway-keys.wasm").click();
  await expect(instances(page)).toHaveCount(1);
  for (let n = 2; n <= 50; n++) await page.getByTestId("library-add-gateway-auth.wasm").click();
  await expect(instances(page)).toHaveCount(50);
  await page.getByTestId("composition-auto-wire").click();
  await expect(notice(page)).toContainText("Auto-wire: 49 wires between instances added.");
  await expect(page.getByTestId("composition-problems").locator("li")).toHaveCount(0);
  await expect(page.getByTestId("composition-wit")).toContainText("world ");
  await page.getByTestId("composition-layout").click();
  await page.getByTestId("composition-fit").click();
  await page.getByTestId("composition-undo").click();
  await page.getByTestId("composition-undo").click();
  await expect(page.getByTestId("composition-problems").locator("li")).toHaveCount(0);
  await expect(instances(page)).toHaveCount(50);
  await page.getByTestId("composition-undo").click();
  await expect(instances(page)).toHaveCount(49);
});
