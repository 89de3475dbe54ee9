/** Files that outlive runs: wasi:filesystem on IndexedDB, the Files panel, crashes, two tabs. */
import { expect, test, type Page } from "@playwright/test";

const consoleText = (page: Page) => page.getByTestId("console");

async function runFiles(page: Page, args: string, expectText: string | RegExp = /exit status \d+/) {
  await page.getByTestId("example-files").click();
  await expect(page.getByTestId("run")).toBeEnabled();
  await page.getByTestId("args").fill(args);
  await page.getByTestId("run").click();
  await expect(consoleText(page)).toContainText(expectText);
}

const row = (page: Page, path: string) => page.locator(`[data-testid="file-row"][data-path="${path}"]`);

test("a file written by a run survives a reload, is read by the next run and shows in the Files panel", async ({ page }) => {
  await page.goto("/");
  await runFiles(page, "write notes.txt hello persistent world", "wrote 23 bytes to notes.txt");
  await expect(consoleText(page)).toContainText("exit status 0");
  await expect(row(page, "notes.txt")).toBeVisible();
  await page.reload();
  await expect(row(page, "notes.txt")).toBeVisible();
  await runFiles(page, "read notes.txt", "exit status 0");
  await expect(page.locator('[data-kind="stdout"]')).toHaveText("hello persistent world\n");
});

test("a file edited and saved in the UI is what the next run reads", async ({ page }) => {
  await page.goto("/");
  await runFiles(page, "write edit.txt original", "exit status 0");
  await row(page, "edit.txt").click();
  await expect(page.getByTestId("file-editor")).toBeVisible();
  await page.waitForFunction(() => typeof (window as unknown as { __filesEditorValue?: () => string }).__filesEditorValue === "function");
  expect(await page.evaluate(() => (window as unknown as { __filesEditorValue: () => string }).__filesEditorValue())).toBe("original\n");
  await page.evaluate(() => (window as unknown as { __filesEditorSetValue: (s: string) => void }).__filesEditorSetValue("changed in the editor\n"));
  await page.getByTestId("files-save").click();
  await expect(page.getByTestId("files-status")).toHaveText("saved");
  await runFiles(page, "read edit.txt", "exit status 0");
  await expect(page.locator('[data-kind="stdout"]')).toHaveText("changed in the editor\n");
});

/** Reads every file of the default workspace straight from IndexedDB and checks it is whole. */
async function checkWorkspace(page: Page): Promise<Array<{ ino: number; size: number; chunkBytes: number }>> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open("wasi-playground-ws:default");
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const all = <T,>(req: IDBRequest<T>) => new Promise<T>((res, rej) => ((req.onsuccess = () => res(req.result)), (req.onerror = () => rej(req.error))));
    const store = db.transaction("fs").objectStore("fs");
    const keys = (await all(store.getAllKeys())) as Array<Array<string | number>>;
    const values = await all(store.getAll());
    const inodes = new Map<number, { size: number; type: string }>();
    const chunks = new Map<number, Array<[number, Uint8Array]>>();
    keys.forEach((k, i) => {
      if (k[0] === "ino") inodes.set(k[1] as number, values[i] as { size: number; type: string });
      if (k[0] === "chunk") chunks.set(k[1] as number, [...(chunks.get(k[1] as number) ?? []), [k[2] as number, values[i] as Uint8Array]]);
    });
    db.close();
    const out: Array<{ ino: number; size: number; chunkBytes: number }> = [];
    for (const [ino, node] of inodes) {
      if (node.type !== "regular-file") continue;
      let bytes = 0;
      for (const [i, c] of chunks.get(ino) ?? []) {
        // No chunk holds data past the file's size, and chunks are 64 KiB apart.
        if (i * 65536 + c.length > node.size) throw new Error(`inode ${ino}: chunk ${i} ends past size ${node.size}`);
        bytes += c.length;
      }
      out.push({ ino, size: node.size, chunkBytes: bytes });
    }
    return out;
  });
}

test("a run killed while writing a 10 MiB file leaves every file whole", async ({ page }) => {
  await page.goto("/");
  await runFiles(page, "write keep.txt untouched", "exit status 0"); // 10 bytes: "untouched\n"
  await runFiles(page, "big big.bin 10", "chunk 32");
  await page.getByTestId("stop").click();
  await expect(consoleText(page)).toContainText("stopped by user");
  const files = await checkWorkspace(page);
  const big = files.find((f) => f.size !== 10);
  expect(big).toBeDefined();
  // Torn writes would leave the size and the stored bytes disagreeing.
  for (const f of files) expect(f.chunkBytes).toBe(f.size);
  expect(big!.size).toBeGreaterThan(0);
  expect(big!.size).toBeLessThan(10 * 1024 * 1024);
  // Every byte is what the guest wrote at that offset (chunk k is letter 65 + k).
  const ok = await page.evaluate(async (size) => {
    const db = await new Promise<IDBDatabase>((res) => {
      const r = indexedDB.open("wasi-playground-ws:default");
      r.onsuccess = () => res(r.result);
    });
    const store = db.transaction("fs").objectStore("fs");
    const keys = await new Promise<IDBValidKey[]>((res) => {
      const r = store.getAllKeys();
      r.onsuccess = () => res(r.result);
    });
    const values = await new Promise<unknown[]>((res) => {
      const r = store.getAll();
      r.onsuccess = () => res(r.result);
    });
    db.close();
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as Array<string | number>;
      if (k[0] !== "chunk") continue;
      const c = values[i] as Uint8Array;
      if (c.length === 10) continue; // keep.txt
      const base = (k[2] as number) * 65536;
      for (let j = 0; j < c.length; j++) if (c[j] !== (Math.floor((base + j) / 65536) + 65) % 256) return `byte ${base + j} of ${size} is wrong`;
    }
    return "ok";
  }, big!.size);
  expect(ok).toBe("ok");
  await runFiles(page, "read keep.txt", "exit status 0");
  await expect(page.locator('[data-kind="stdout"]')).toHaveText("untouched\n");
});

test("two pages on one workspace: a write in one appears in the other's Files panel", async ({ page, context }) => {
  await page.goto("/");
  const other = await context.newPage();
  await other.goto("/");
  await expect(other.getByTestId("files-panel")).toBeVisible();
  await expect(row(other, "from-a.txt")).toHaveCount(0);
  await runFiles(page, "write from-a.txt written in page A", "exit status 0");
  await expect(row(other, "from-a.txt")).toBeVisible();
  await runFiles(other, "read from-a.txt", "exit status 0");
  await expect(other.locator('[data-kind="stdout"]')).toHaveText("written in page A\n");
});
