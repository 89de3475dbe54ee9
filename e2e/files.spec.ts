/** Files that outlive runs: wasi:filesystem on IndexedDB, the Files panel, crashes, two tabs. */
import { expect, test, type Page } from "@playwright/test";

const consoleText = (page: Page) => page.getByTestId("console");

async function runFiles(page: Page, args: string, expectText: string | RegExp = /exit status \d+/, example = "files") {
  const button = page.getByTestId(`example-${example}`);
  // Clicking the loaded example again re-inspects it, and Run is disabled meanwhile (a click could
  // land on it then); switching examples replaces the run panel once the new one is fetched.
  if (!/\bselected\b/.test((await button.getAttribute("class")) ?? "")) await button.click();
  await expect(button).toHaveClass(/selected/);
  await expect(page.getByTestId("run")).toBeEnabled();
  await page.getByTestId("args").fill(args);
  await expect(page.getByTestId("args")).toHaveValue(args);
  await page.getByTestId("run").click();
  await expect(consoleText(page)).toContainText(expectText);
}

const row = (page: Page, path: string) => page.locator(`[data-testid="file-row"][data-path="${path}"]`);
/** The Files panel is a tab of the workbench: bring it forward. */
const showFiles = (page: Page) => page.getByTestId("dock-tab-files").click();

test("a file written by a run survives a reload, is read by the next run and shows in the Files panel", async ({ page }) => {
  await page.goto("/");
  await runFiles(page, "write notes.txt hello persistent world", "wrote 23 bytes to notes.txt");
  await expect(consoleText(page)).toContainText("exit status 0");
  await showFiles(page);
  await expect(row(page, "notes.txt")).toBeVisible();
  // The Files tab stays forward across the reload.
  await page.reload();
  await expect(row(page, "notes.txt")).toBeVisible();
  await runFiles(page, "read notes.txt", "exit status 0");
  await expect(page.locator('[data-kind="stdout"]')).toHaveText("hello persistent world\n");
});

test("a file edited and saved in the UI is what the next run reads", async ({ page }) => {
  await page.goto("/");
  await runFiles(page, "write edit.txt original", "exit status 0");
  await showFiles(page);
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

interface StoredFile {
  ino: number;
  size: number;
  /** Bytes actually stored in the file's chunks. */
  chunkBytes: number;
  /** First offset whose byte differs from the `big` pattern (chunk k is letter 65 + k), or null. */
  patternMismatch: number | null;
}

/** Reads every file of the default workspace straight from IndexedDB and checks it is whole. */
async function checkWorkspace(page: Page): Promise<StoredFile[]> {
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
    const out: Array<{ ino: number; size: number; chunkBytes: number; patternMismatch: number | null }> = [];
    for (const [ino, node] of inodes) {
      if (node.type !== "regular-file") continue;
      let bytes = 0;
      let patternMismatch: number | null = null;
      for (const [i, c] of chunks.get(ino) ?? []) {
        // No chunk holds data past the file's size, and chunks are 64 KiB apart.
        if (i * 65536 + c.length > node.size) throw new Error(`inode ${ino}: chunk ${i} ends past size ${node.size}`);
        bytes += c.length;
        const base = i * 65536;
        for (let j = 0; j < c.length && patternMismatch === null; j++) if (c[j] !== (Math.floor((base + j) / 65536) + 65) % 256) patternMismatch = base + j;
      }
      out.push({ ino, size: node.size, chunkBytes: bytes, patternMismatch });
    }
    return out;
  });
}

test("a run killed while writing a 10 MiB file leaves every file whole", async ({ page }) => {
  await page.goto("/");
  await runFiles(page, "write keep.txt untouched", "exit status 0"); // 10 bytes: "untouched\n"
  // The whole 10 MiB takes well under a second, so Stop is pressed from inside the page the
  // moment the guest reports its second MiB, not after a round trip to the test runner.
  await page.evaluate(() => {
    const consoleEl = document.querySelector('[data-testid="console"]')!;
    const observer = new MutationObserver(() => {
      if (!consoleEl.textContent?.includes("chunk 32")) return;
      observer.disconnect();
      (document.querySelector('[data-testid="stop"]') as HTMLButtonElement).click();
    });
    observer.observe(consoleEl, { childList: true, subtree: true, characterData: true });
  });
  await runFiles(page, "big big.bin 10", "stopped by user");
  await expect(consoleText(page)).not.toContainText("wrote 10 MiB");
  const files = await checkWorkspace(page);
  const big = files.find((f) => f.size !== 10);
  expect(big).toBeDefined();
  // Torn writes would leave the size and the stored bytes disagreeing.
  for (const f of files) expect(f.chunkBytes).toBe(f.size);
  expect(big!.size).toBeGreaterThan(0);
  expect(big!.size).toBeLessThan(10 * 1024 * 1024);
  // Every byte is what the guest wrote at that offset (chunk k is letter 65 + k).
  expect(big!.patternMismatch).toBeNull();
  await runFiles(page, "read keep.txt", "exit status 0");
  await expect(page.locator('[data-kind="stdout"]')).toHaveText("untouched\n");
  // The stopped run held big.bin's write lease; its worker died, so the lease went with it.
  await runFiles(page, "fill big.bin 1 C", "exit status 0");
});

test("two pages on one workspace: a write in one appears in the other's Files panel", async ({ page, context }) => {
  await page.goto("/");
  const other = await context.newPage();
  await other.goto("/");
  await showFiles(other);
  await expect(other.getByTestId("files-panel")).toBeVisible();
  await expect(row(other, "from-a.txt")).toHaveCount(0);
  await runFiles(page, "write from-a.txt written in page A", "exit status 0");
  await expect(row(other, "from-a.txt")).toBeVisible();
  await runFiles(other, "read from-a.txt", "exit status 0");
  await expect(other.locator('[data-kind="stdout"]')).toHaveText("written in page A\n");
});

test("wasi:filesystem 0.2 and 0.3 share the workspace: each reads what the other wrote", async ({ page }) => {
  // First on engine/jco (the reference), then the same on engine/cm.
  await page.addInitScript(() => localStorage.getItem("playground.engine") ?? localStorage.setItem("playground.engine", "jco"));
  await page.goto("/");
  await runFiles(page, "write from-p3.txt written through 0.3", "exit status 0");
  // files-p2 is a synchronous 0.2 command: each call suspends the guest (JSPI) while IndexedDB answers.
  await runFiles(page, "read from-p3.txt", "exit status 0", "files-p2");
  await expect(page.locator('[data-kind="stdout"]')).toHaveText("written through 0.3\n");
  await runFiles(page, "write from-p2.txt written through 0.2", "exit status 0", "files-p2");
  await expect(page.locator('[data-kind="stdout"]')).toHaveText("wrote 20 bytes to from-p2.txt (wasi:filesystem 0.2)\n");
  await runFiles(page, "append from-p2.txt appended through 0.2", "exit status 0", "files-p2");
  await runFiles(page, "read from-p2.txt", "exit status 0");
  await expect(page.locator('[data-kind="stdout"]')).toHaveText("written through 0.2\nappended through 0.2\n");
  await runFiles(page, "stat from-p2.txt", "exit status 0", "files-p2");
  await expect(page.locator('[data-kind="stdout"]')).toHaveText("size 41 type regular-file\n");
  await runFiles(page, "ls", "exit status 0", "files-p2");
  await expect(page.locator('[data-kind="stdout"]')).toContainText("regular-file from-p2.txt\nregular-file from-p3.txt\n");
  // Errors arrive as 0.2 error codes.
  await runFiles(page, "read missing.txt", "exit status 1", "files-p2");
  await expect(page.locator('[data-kind="stderr"]')).toHaveText("files-p2: read missing.txt: no-entry\n");
  await showFiles(page);
  await expect(row(page, "from-p2.txt")).toBeVisible();
  // engine/cm suspends the guest through JSPI on the same calls: the same answers.
  await page.getByTestId("engine-select").selectOption("cm");
  await runFiles(page, "read from-p3.txt", "exit status 0", "files-p2");
  await expect(page.locator('[data-kind="stdout"]')).toHaveText("written through 0.3\n");
  await expect(consoleText(page)).toContainText("engine/cm");
  await runFiles(page, "append from-p2.txt and through engine/cm", "exit status 0", "files-p2");
  await runFiles(page, "read from-p2.txt", "exit status 0", "files-p2");
  await expect(page.locator('[data-kind="stdout"]')).toHaveText("written through 0.2\nappended through 0.2\nand through engine/cm\n");
  await runFiles(page, "read missing.txt", "exit status 1", "files-p2");
  await expect(page.locator('[data-kind="stderr"]')).toHaveText("files-p2: read missing.txt: no-entry\n");
});

/** Every regular file of the default workspace as (size, distinct byte values), read from IndexedDB. */
async function fileBytes(page: Page, path: string): Promise<{ size: number; values: number[] }> {
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open("wasi-playground-ws:default");
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const req = <T,>(r: IDBRequest<T>) => new Promise<T>((res, rej) => ((r.onsuccess = () => res(r.result)), (r.onerror = () => rej(r.error))));
    const store = db.transaction("fs").objectStore("fs");
    const ino = (await req(store.get(["dent", 1, name]))) as number;
    const node = (await req(store.get(["ino", ino]))) as { size: number };
    const chunks = (await req(store.getAll(IDBKeyRange.bound(["chunk", ino], ["chunk", ino, []])))) as Uint8Array[];
    db.close();
    const values = new Set<number>();
    let stored = 0;
    for (const c of chunks) {
      stored += c.length;
      for (const b of c) values.add(b);
    }
    if (stored !== node.size) throw new Error(`size ${node.size} but ${stored} bytes stored`);
    return { size: node.size, values: [...values].sort() };
  }, path);
}

test("two pages write the same file at once: it ends up as one writer's whole version", async ({ page, context }) => {
  await page.goto("/");
  const other = await context.newPage();
  await other.goto("/");
  // A first run in each page compiles the guest, so the two writes below really start together.
  for (const p of [page, other]) await runFiles(p, "ls", "exit status 0");
  await page.getByTestId("args").fill("fill same.bin 8 A");
  await other.getByTestId("args").fill("fill same.bin 8 B");
  // Each page notes when its guest reports progress (every 16 of its 128 chunk writes).
  for (const p of [page, other]) {
    await p.evaluate(() => {
      const el = document.querySelector('[data-testid="console"]')!;
      const seen: number[] = [];
      (window as unknown as { __progress: number[] }).__progress = seen;
      new MutationObserver(() => seen.push(Date.now())).observe(el, { childList: true, subtree: true, characterData: true });
    });
  }
  // Clicked from inside both pages at once: a click from the test runner waits for a frame, which
  // a page in the background only gets about once a second.
  const clickRun = (p: Page) => p.evaluate(() => (document.querySelector('[data-testid="run"]') as HTMLButtonElement).click());
  await Promise.all([clickRun(page), clickRun(other)]);
  await expect(consoleText(page)).toContainText("exit status 0");
  await expect(consoleText(other)).toContainText("exit status 0");
  // The two runs overlapped in time: each started before the other ended.
  const span = async (p: Page) => {
    const t = await p.evaluate(() => (window as unknown as { __progress: number[] }).__progress);
    return [Math.min(...t), Math.max(...t)] as const;
  };
  const [a, b] = [await span(page), await span(other)];
  expect(a[0]).toBeLessThan(b[1]);
  expect(b[0]).toBeLessThan(a[1]);
  const file = await fileBytes(page, "same.bin");
  expect(file.size).toBe(8 * 1024 * 1024);
  // All "A" or all "B": never chunks of both, never one's tail after the other's head.
  expect(file.values.length).toBe(1);
  expect(["A".charCodeAt(0), "B".charCodeAt(0)]).toContain(file.values[0]);
});

test("a file removed while a run in one page still reads it survives another page opening the workspace", async ({ page, context }) => {
  await page.goto("/");
  await runFiles(page, "write held.txt kept while held", "exit status 0");
  await page.getByTestId("args").fill("hold held.txt 3000");
  await page.getByTestId("run").click();
  await expect(consoleText(page)).toContainText("removed held.txt, holding it open");
  // A second page opens the same workspace (its Files panel) while the first still holds the file.
  const other = await context.newPage();
  await other.goto("/");
  await showFiles(other);
  await expect(other.getByTestId("files-panel")).toBeVisible();
  await runFiles(other, "ls", "exit status 0");
  await expect(consoleText(other)).not.toContainText("regular-file held.txt");
  await expect(consoleText(page)).toContainText("read 16 bytes from the removed file", { timeout: 30_000 });
  await expect(consoleText(page)).toContainText("exit status 0");
  await expect(page.locator('[data-kind="stdout"]')).toContainText("kept while held\n");
});

test("a full quota: the guest gets insufficient-space, the Files panel says so, nothing written before is lost", async ({ page, context, baseURL }) => {
  // DevTools' storage quota override (what its Application panel's "simulate custom storage quota"
  // uses). It must be set before the page first touches storage: set later, IndexedDB already
  // holds on to the quota it saw. And the quota counts stored bytes, which Chromium compresses:
  // the guest writes noise.
  const cdp = await context.newCDPSession(page);
  const origin = new URL(baseURL!).origin;
  await cdp.send("Storage.overrideQuotaForOrigin", { origin, quotaSize: 12 * 1024 * 1024 });
  await page.goto("/");
  await runFiles(page, "write keep.txt untouched", "exit status 0");
  await runFiles(page, "noise big.bin 32", "exit status 1");
  await expect(page.locator('[data-kind="stderr"]')).toHaveText("files: noise big.bin: insufficient-space\n");
  await showFiles(page);
  await expect(page.getByTestId("files-quota")).toContainText("Storage is full");
  // Every file is whole: sizes match the stored bytes; what fit of big.bin is there.
  const files = await checkWorkspace(page);
  for (const f of files) expect(f.chunkBytes).toBe(f.size);
  const big = await fileBytes(page, "big.bin");
  expect(big.size).toBeGreaterThan(1024 * 1024);
  expect(big.size).toBeLessThan(32 * 1024 * 1024);
  await runFiles(page, "read keep.txt", "exit status 0");
  await expect(page.locator('[data-kind="stdout"]')).toHaveText("untouched\n");
  // Removing the big file makes room again.
  await runFiles(page, "rm big.bin", "exit status 0");
  await runFiles(page, "noise again.bin 2", "exit status 0");
  await page.getByTestId("files-quota").getByRole("button", { name: "Dismiss" }).click();
  await expect(page.getByTestId("files-quota")).toHaveCount(0);
});

/** Writes raw entries into the default workspace's database before the playground opens it. */
async function seedRawWorkspace(page: Page, entries: Array<[Array<string | number>, unknown]>): Promise<void> {
  // Any page of the origin that does not start the playground (its fs-owner would open the database).
  await page.goto("/components/index.json");
  await page.evaluate(async (raw) => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open("wasi-playground-ws:default", 1);
      r.onupgradeneeded = () => r.result.createObjectStore("fs");
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const t = db.transaction("fs", "readwrite");
    // What the test runner cannot send as JSON: times are bigint nanoseconds, chunks are bytes.
    const revive = (key: Array<string | number>, value: unknown) => {
      if (key[0] === "chunk") return Uint8Array.from(value as number[]);
      if (typeof value !== "object" || value === null) return value;
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k.endsWith("time") ? BigInt(v as string) : v]));
    };
    for (const [key, value] of raw) t.objectStore("fs").put(revive(key, value), key);
    await new Promise<void>((res, rej) => ((t.oncomplete = () => res()), (t.onerror = () => rej(t.error))));
    db.close();
  }, entries);
}

/** Every entry of the default workspace's database, as text (keys and values). */
async function rawWorkspace(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open("wasi-playground-ws:default");
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const req = <T,>(r: IDBRequest<T>) => new Promise<T>((res, rej) => ((r.onsuccess = () => res(r.result)), (r.onerror = () => rej(r.error))));
    const store = db.transaction("fs").objectStore("fs");
    const [keys, values] = await Promise.all([req(store.getAllKeys()), req(store.getAll())]);
    db.close();
    const text = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? `${x}n` : x instanceof Uint8Array ? [...x] : x));
    return keys.map((k, i) => `${text(k)} = ${text(values[i])}`);
  });
}

const T = "1700000000000000000";
const dir = (ino: number, nlink: number, parent?: number) => ({ ino, type: "directory", size: 0, nlink, atime: T, mtime: T, ctime: T, ...(parent ? { parent } : {}) });

test("a workspace stored in the previous layout (v1) is upgraded in place: a notice, and every file still there", async ({ page }) => {
  const text = new TextEncoder().encode("written by layout v1\n");
  // Layout v1, exactly as the playground stored it before v2: no workspace id in the superblock.
  await seedRawWorkspace(page, [
    [["meta", "sb"], { version: 1, nextIno: 4 }],
    [["ino", 1], dir(1, 3)],
    [["ino", 2], { ino: 2, type: "regular-file", size: text.length, nlink: 1, atime: T, mtime: T, ctime: T }],
    [["ino", 3], dir(3, 2, 1)],
    [["dent", 1, "old.txt"], 2],
    [["dent", 1, "docs"], 3],
    [["chunk", 2, 0], [...text]],
  ]);
  await page.goto("/");
  await showFiles(page);
  await expect(page.getByTestId("files-notice")).toContainText("storage layout v1");
  await expect(page.getByTestId("files-notice")).toContainText("its files are unchanged");
  await expect(row(page, "old.txt")).toBeVisible();
  await expect(row(page, "docs")).toBeVisible();
  await runFiles(page, "read old.txt", "exit status 0");
  await expect(page.locator('[data-kind="stdout"]')).toHaveText("written by layout v1\n");
  await runFiles(page, "write docs/new.txt after the upgrade", "exit status 0");
  const raw = await rawWorkspace(page);
  expect(raw.find((l) => l.startsWith('["meta","sb"]'))).toMatch(/^\["meta","sb"\] = \{"version":2,"nextIno":5,"id":\d+\}$/);
  // The new file got inode 4: the superblock's allocation carried over.
  expect(raw).toContain('["dent",3,"new.txt"] = 4');
});

test("a damaged workspace database is refused with a clear message and left exactly as it was", async ({ page }) => {
  await seedRawWorkspace(page, [
    [["meta", "sb"], "not a superblock"],
    [["ino", 1], dir(1, 2)],
    [["ino", 2], { ino: 2, type: "regular-file", size: 3, nlink: 1, atime: T, mtime: T, ctime: T }],
    [["dent", 1, "precious.txt"], 2],
  ]);
  const before = await rawWorkspace(page);
  await page.goto("/");
  await showFiles(page);
  await expect(page.getByTestId("files-error")).toContainText("Could not open workspace 'default': this workspace's database is damaged (its superblock is unreadable); nothing was changed");
  await page.getByTestId("example-files").click();
  await expect(page.getByTestId("run")).toBeEnabled();
  await page.getByTestId("args").fill("ls");
  await page.getByTestId("run").click();
  await expect(consoleText(page)).toContainText("Could not open the workspace:");
  await expect(consoleText(page)).toContainText("database is damaged");
  expect(await rawWorkspace(page)).toEqual(before);
});

test("a workspace database from a newer playground is refused and left as it was", async ({ page }) => {
  await page.goto("/components/index.json");
  await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open("wasi-playground-ws:default", 7);
      r.onupgradeneeded = () => r.result.createObjectStore("fs").put({ version: 9, nextIno: 2 }, ["meta", "sb"]);
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    db.close();
  });
  const before = await rawWorkspace(page);
  await page.goto("/");
  await showFiles(page);
  await expect(page.getByTestId("files-error")).toContainText("written by a newer playground (its IndexedDB version is above 1); nothing was changed");
  expect(await rawWorkspace(page)).toEqual(before);
});
