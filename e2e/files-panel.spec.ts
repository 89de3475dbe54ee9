/** The Files panel's own editing: create, rename (the open file follows), delete, keys, upload, download. */
import { expect, test, type Page } from "@playwright/test";

const row = (page: Page, path: string) => page.locator(`[data-testid="file-row"][data-path="${path}"]`);
const nameInput = (page: Page) => page.getByTestId("files-name-input");
const openFile = (page: Page) => page.getByTestId("file-view");

/** New file or folder `name` in the selected folder (the field starts with its path). */
async function create(page: Page, kind: "file" | "folder", name: string) {
  await page.getByTestId(kind === "file" ? "files-new-file" : "files-new-folder").click();
  await expect(nameInput(page)).toBeFocused();
  await nameInput(page).press("End");
  await nameInput(page).pressSequentially(name);
  const path = await nameInput(page).inputValue();
  await nameInput(page).press("Enter");
  // Done once the new entry is selected (a new edit started before then would be closed by this one).
  await expect(row(page, path)).toHaveClass(/selected/);
}

test.beforeEach(async ({ page }) => {
  await page.goto("/");
  // The Files panel is a tab of the workbench.
  await page.getByTestId("dock-tab-files").click();
  await expect(page.getByTestId("files-panel").locator(".files-empty")).toBeVisible();
});

test("new files and folders: created where the selected folder is, opened or selected, bad names refused", async ({ page }) => {
  await create(page, "file", "a.txt");
  await expect(row(page, "a.txt")).toHaveClass(/selected/);
  await expect(row(page, "a.txt")).toHaveClass(/open/);
  await expect(openFile(page)).toHaveAttribute("data-path", "a.txt");
  await expect(nameInput(page)).toHaveCount(0);

  await create(page, "folder", "docs");
  await expect(row(page, "docs")).toHaveAttribute("data-type", "directory");
  await expect(row(page, "docs")).toHaveClass(/selected/);
  // The selected folder is where the next file goes.
  await page.getByTestId("files-new-file").click();
  await expect(nameInput(page)).toHaveValue("docs/");
  await nameInput(page).press("End");
  await nameInput(page).pressSequentially("b.txt");
  await nameInput(page).press("Enter");
  await expect(row(page, "docs/b.txt")).toHaveClass(/open/);
  await expect(openFile(page)).toHaveAttribute("data-path", "docs/b.txt");

  // An existing name and a name with '..' are refused with a message; Escape gives up.
  await page.getByTestId("files-new-file").click();
  await nameInput(page).fill("a.txt");
  await nameInput(page).press("Enter");
  await expect(page.getByTestId("files-error")).toHaveText("'a.txt' already exists.");
  await nameInput(page).fill("x/../y");
  await nameInput(page).press("Enter");
  await expect(page.getByTestId("files-error")).toContainText("may not contain '.' or '..' as a name");
  await nameInput(page).press("Escape");
  await expect(nameInput(page)).toHaveCount(0);
  // Starting another edit clears the message.
  await page.getByTestId("files-new-folder").click();
  await expect(page.getByTestId("files-error")).toHaveCount(0);
  await nameInput(page).press("Escape");
});

test("rename with F2 or the button: the name is preselected, the open file and folder state follow", async ({ page }) => {
  await create(page, "folder", "docs");
  // The new file goes into the selected folder.
  await create(page, "file", "note.txt");
  await expect(openFile(page)).toHaveAttribute("data-path", "docs/note.txt");

  // F2 on a row: the name without its extension is selected, like a desktop file manager.
  await row(page, "docs/note.txt").focus();
  await row(page, "docs/note.txt").press("F2");
  await expect(nameInput(page)).toHaveValue("docs/note.txt");
  expect(await nameInput(page).evaluate((el: HTMLInputElement) => [el.selectionStart, el.selectionEnd])).toEqual([5, 9]);
  await nameInput(page).pressSequentially("memo");
  await nameInput(page).press("Enter");
  await expect(row(page, "docs/memo.txt")).toBeVisible();
  await expect(row(page, "docs/note.txt")).toHaveCount(0);
  await expect(openFile(page)).toHaveAttribute("data-path", "docs/memo.txt");
  await expect(row(page, "docs/memo.txt")).toBeFocused();

  // Renaming the folder moves the open file with it.
  await row(page, "docs").click();
  await expect(row(page, "docs")).toHaveAttribute("aria-expanded", "false");
  await page.getByTestId("files-rename").click();
  await nameInput(page).fill("papers");
  await nameInput(page).press("Enter");
  await expect(row(page, "papers")).toBeVisible();
  await expect(row(page, "papers")).toHaveAttribute("aria-expanded", "false");
  await expect(openFile(page)).toHaveAttribute("data-path", "papers/memo.txt");

  // Renaming to the same name changes nothing.
  await page.getByTestId("files-rename").click();
  await nameInput(page).press("Enter");
  await expect(nameInput(page)).toHaveCount(0);
  await expect(page.getByTestId("files-error")).toHaveCount(0);
});

test("keys move through the tree and fold folders; Delete asks first, Escape cancels", async ({ page }) => {
  await create(page, "folder", "docs");
  // The new file goes into the selected folder.
  await create(page, "file", "in.txt");
  await expect(row(page, "docs/in.txt")).toBeVisible();
  await create(page, "file", "top.txt");
  await expect(row(page, "top.txt")).toBeVisible();

  await row(page, "docs").focus();
  await row(page, "docs").press("ArrowDown");
  await expect(row(page, "docs/in.txt")).toBeFocused();
  await row(page, "docs/in.txt").press("ArrowLeft");
  await expect(row(page, "docs")).toBeFocused();
  await row(page, "docs").press("ArrowLeft");
  await expect(row(page, "docs")).toHaveAttribute("aria-expanded", "false");
  await expect(row(page, "docs/in.txt")).toHaveCount(0);
  await row(page, "docs").press("ArrowDown");
  await expect(row(page, "top.txt")).toBeFocused();
  await row(page, "top.txt").press("ArrowUp");
  await row(page, "docs").press("ArrowRight");
  await expect(row(page, "docs")).toHaveAttribute("aria-expanded", "true");
  await expect(row(page, "docs/in.txt")).toBeVisible();

  // Delete on a row asks; Escape on the question cancels and focus goes back to the row.
  await row(page, "top.txt").focus();
  await row(page, "top.txt").press("Delete");
  await expect(page.locator(".files-confirm")).toContainText("Delete top.txt?");
  await expect(page.getByTestId("files-delete-confirm")).toBeFocused();
  await page.getByTestId("files-delete-confirm").press("Escape");
  await expect(page.locator(".files-confirm")).toHaveCount(0);
  await expect(row(page, "top.txt")).toBeFocused();
  // The open file goes when it is deleted; a folder is deleted with what is in it.
  await expect(openFile(page)).toHaveAttribute("data-path", "top.txt");
  await page.getByTestId("files-delete").click();
  await page.getByTestId("files-delete-confirm").click();
  await expect(row(page, "top.txt")).toHaveCount(0);
  await expect(openFile(page)).toHaveCount(0);
  await row(page, "docs").click();
  await page.getByTestId("files-delete").click();
  await expect(page.locator(".files-confirm")).toContainText("Delete docs and everything in it?");
  await page.getByTestId("files-delete-confirm").click();
  await expect(page.getByTestId("files-panel").locator(".files-empty")).toBeVisible();
});

test("upload into the selected folder, then download what was uploaded", async ({ page }) => {
  await create(page, "folder", "in");
  await expect(row(page, "in")).toHaveClass(/selected/);
  await page.getByTestId("files-upload-input").setInputFiles({ name: "data.bin", mimeType: "application/octet-stream", buffer: Buffer.from([0, 1, 2, 255]) });
  await expect(row(page, "in/data.bin")).toHaveClass(/selected/);
  await expect(row(page, "in/data.bin")).toContainText("4 B");
  const download = page.waitForEvent("download");
  await page.getByTestId("files-download").click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("data.bin");
  const { readFile } = await import("node:fs/promises");
  expect([...(await readFile(await file.path()))]).toEqual([0, 1, 2, 255]);
});
