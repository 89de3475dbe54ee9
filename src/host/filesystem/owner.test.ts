/** The fs-owner's sessions: write leases for truncating writers, and orphans kept while held. */
import { describe, expect, it } from "vitest";
import { MemoryKv } from "./kv";
import { FsOwner } from "./owner";
import { ROOT_INO, Vfs } from "./vfs";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

async function workspace() {
  const owner = new FsOwner((_name, onChange) => Vfs.open(new MemoryKv(), { onChange }));
  return owner.workspace("test");
}

const TRUNC = { create: true, truncate: true };
const settled = () => new Promise((r) => setTimeout(r, 0));

describe("write leases", () => {
  it("a second truncating writer waits until the first drops its descriptor, then truncates", async () => {
    const ws = await workspace();
    const [a, b] = [ws.session(), ws.session()];
    const fa = await a.openAt(ROOT_INO, "f", false, TRUNC, true);
    await a.write(fa.ino, 0, enc("from a, longer"));
    let bOpened = false;
    const fb = b.openAt(ROOT_INO, "f", false, TRUNC, true).then((n) => ((bOpened = true), n));
    await settled();
    expect(bOpened).toBe(false);
    await a.write(fa.ino, "append", enc("!"));
    a.release(fa.ino);
    const node = await fb;
    expect(node.size).toBe(0);
    await b.write(node.ino, 0, enc("from b"));
    expect(dec(await b.read(node.ino, 0, 100))).toBe("from b");
  });

  it("readers and non-truncating writers never wait; the holder may open the file again", async () => {
    const ws = await workspace();
    const [a, b] = [ws.session(), ws.session()];
    const fa = await a.openAt(ROOT_INO, "f", false, TRUNC, true);
    await b.openAt(ROOT_INO, "f", false, {}, false);
    await b.openAt(ROOT_INO, "f", false, { create: true }, true);
    const again = await a.openAt(ROOT_INO, "f", false, TRUNC, true);
    expect(again.ino).toBe(fa.ino);
  });

  it("closing a session lets the next writer in; the Files panel's save says busy instead of waiting", async () => {
    const ws = await workspace();
    const [run, ui, next] = [ws.session(), ws.session(), ws.session()];
    await run.openAt(ROOT_INO, "f", false, TRUNC, true);
    await expect(ui.writeFileAt(ROOT_INO, "f", enc("edited"))).rejects.toThrow(/busy: 'f' is being written by a running component/);
    const waiting = next.openAt(ROOT_INO, "f", false, TRUNC, true);
    run.close();
    await waiting;
    await ui.writeFileAt(ROOT_INO, "g", enc("another file is fine"));
  });
});

describe("orphans", () => {
  it("a removed file stays while any session holds it, and goes when the last lets go", async () => {
    const ws = await workspace();
    const [a, b] = [ws.session(), ws.session()];
    await a.writeFileAt(ROOT_INO, "f", enc("kept"));
    const fa = await a.openAt(ROOT_INO, "f", false, {}, false);
    await b.unlinkFileAt(ROOT_INO, "f");
    await settled();
    expect(dec(await a.read(fa.ino, 0, 10))).toBe("kept");
    a.release(fa.ino);
    await settled();
    await expect(a.stat(fa.ino)).rejects.toThrow("bad-descriptor");
  });

  it("a file nobody holds is freed as soon as its last name goes", async () => {
    const ws = await workspace();
    const s = ws.session();
    await s.writeFileAt(ROOT_INO, "f", enc("x"));
    const ino = (await s.statAt(ROOT_INO, "f", false)).ino;
    await s.unlinkFileAt(ROOT_INO, "f");
    await settled();
    await expect(s.stat(ino)).rejects.toThrow("bad-descriptor");
  });

  it("closing a session (its run ended, or its worker died) lets go of everything it held", async () => {
    const ws = await workspace();
    const [a, b] = [ws.session(), ws.session()];
    await a.writeFileAt(ROOT_INO, "f", enc("x"));
    const f = await a.openAt(ROOT_INO, "f", false, {}, false);
    await a.openAt(ROOT_INO, "f", false, {}, false);
    await b.unlinkFileAt(ROOT_INO, "f");
    a.close();
    await settled();
    await expect(b.stat(f.ino)).rejects.toThrow("bad-descriptor");
    await expect(a.stat(f.ino)).rejects.toThrow("the session was closed");
  });
});
