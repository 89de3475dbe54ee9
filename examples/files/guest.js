// files: wasi:filesystem 0.3 in a granted directory, with every byte moving through stream<u8>.
import { getArguments } from "wasi:cli/environment@0.3.0";
import { exitWithCode } from "wasi:cli/exit@0.3.0";
import { writeViaStream as stdoutStream } from "wasi:cli/stdout@0.3.0";
import { writeViaStream as stderrStream } from "wasi:cli/stderr@0.3.0";
import { waitFor } from "wasi:clocks/monotonic-clock@0.3.0";
import { getDirectories } from "wasi:filesystem/preopens@0.3.0";

const CHUNK = 64 * 1024; // bytes per chunk for `big`
const CHUNKS_PER_MIB = (1024 * 1024) / CHUNK; // 16: one progress line per MiB
const MAX_MIB = 1024;

const USAGE = `usage: files COMMAND [ARGS...]
  write PATH TEXT...    create or truncate PATH, write TEXT and a newline
  append PATH TEXT...   append TEXT and a newline to PATH (created if missing)
  read PATH             print PATH
  ls [PATH]             list the granted directory, or PATH inside it
  mkdir PATH            make a directory
  rm PATH               remove a file
  stat PATH             print size and type
  big PATH MIB          write MIB mebibytes to PATH as one stream of 64 KiB chunks
  fill PATH MIB CHAR    like big, but every byte is CHAR
  noise PATH MIB        like big, but pseudo-random bytes (storage cannot compress them)
  hold PATH MS          open PATH, remove it, wait MS milliseconds, then print what the open file reads
`;

// Flags are plain objects of camelCase booleans; missing names are false.
const NO_FOLLOW = { symlinkFollow: false };
const FOLLOW = { symlinkFollow: true };

// QuickJS has no TextEncoder: encode UTF-8 by hand.
function utf8(text) {
  const out = [];
  for (const ch of text) {
    const c = ch.codePointAt(0);
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return new Uint8Array(out);
}

/**
 * stdout or stderr as one long-lived stream<u8>: opened on first write, closed once at the end.
 * `wit.Stream.U8` is wasi:cli's stream<u8>; wasi:filesystem's stream<u8> is a different type in
 * this world (`wit.Stream.U8_2`), so file writes pass iterables and let the binding pick it.
 * (The host's `write-via-stream` returns a future<result<_, error-code>>; futures are not
 * thenable, so its outcome is `await done.read()`.)
 */
class Output {
  constructor(writeViaStream) {
    this.open = writeViaStream;
    this.writable = null;
    this.done = null;
  }
  async write(bytes) {
    if (!this.writable) {
      const { readable, writable } = wit.Stream(wit.Stream.U8);
      this.done = this.open(readable);
      this.writable = writable;
    }
    await this.writable.writeAll(bytes);
  }
  print(text) {
    return this.write(utf8(text));
  }
  async close() {
    if (!this.writable) return;
    this.writable.drop();
    this.writable = null;
    const result = await this.done.read();
    this.done = null;
    if (result && result.tag === "err") throw new Error(`output stream failed: ${JSON.stringify(result.val)}`);
  }
}

/** A wasi:filesystem error-code that arrived through a future rather than a throw. */
class FsFailure extends Error {
  constructor(code) {
    super(`filesystem error: ${code.tag}`);
    this.code = code;
  }
}

/**
 * The error-code tag of a filesystem failure, or null for anything else. An async import whose
 * result is `err` rejects with an Error whose `payload` is the error-code variant ({ tag, val? }).
 */
function errorTag(err) {
  if (err instanceof FsFailure) return err.code.tag;
  const payload = err && typeof err === "object" ? err.payload : undefined;
  if (payload && typeof payload.tag === "string") return payload.tag;
  return null;
}

/** Drops an owned descriptor now rather than when the instance ends. */
function close(fd) {
  try {
    if (typeof Symbol.dispose === "symbol" && typeof fd[Symbol.dispose] === "function") fd[Symbol.dispose]();
  } catch {
    // Already gone: nothing to release.
  }
}

/**
 * Waits for a write-via-stream / append-via-stream completion future (future<result<_, error-code>>;
 * futures are not thenable, so: `await future.read()`).
 */
async function finished(future) {
  const result = await future.read();
  if (result && result.tag === "err") throw new FsFailure(result.val);
}

/** Copies a read-via-stream / read-directory pair into `sink`, then checks the future. */
async function drain([stream, future], sink) {
  const done = future.read();
  for await (const item of stream) await sink(item); // stream<u8>: Uint8Array chunks
  const result = await done;
  if (result && result.tag === "err") throw new FsFailure(result.val);
}

/** `CHUNK` pseudo-random bytes (xorshift32 from `state.x`): browsers compress stored data, not these. */
function noiseChunk(state) {
  const chunk = new Uint8Array(CHUNK);
  let x = state.x;
  for (let j = 0; j < CHUNK; j++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    chunk[j] = x & 0xff;
  }
  state.x = x;
  return chunk;
}

/**
 * The first `MIB` MiB of the pattern, 64 KiB at a time; progress is printed as chunks are taken.
 * `fill` is a byte for every chunk, "noise" for pseudo-random chunks; otherwise chunk i is
 * (i + 65) % 256.
 */
async function* pattern(mib, out, fill) {
  const total = mib * CHUNKS_PER_MIB;
  const noise = { x: 2463534242 };
  for (let i = 0; i < total; i++) {
    // By default every byte of chunk i is (i + 65) % 256: chunk 0 is all "A", chunk 1 all "B", ...
    yield fill === "noise" ? noiseChunk(noise) : new Uint8Array(CHUNK).fill(fill ?? (i + 65) % 256);
    // Resumed only after the stream took the chunk, so the line follows the write.
    if ((i + 1) % CHUNKS_PER_MIB === 0) await out.print(`chunk ${i + 1}\n`);
  }
}

/** Makes PATH relative to the preopen: its guest name (e.g. "/") may be written in front of it. */
function relativeTo(root, path) {
  if (root === "/" || root === "") return path.replace(/^\/+/, "") || ".";
  if (path === root) return ".";
  if (path.startsWith(root + "/")) return path.slice(root.length + 1) || ".";
  return path;
}

/** Argument checks per command; `rest` is the arguments after the command name. */
const COMMANDS = {
  write: (rest) => rest.length >= 1,
  append: (rest) => rest.length >= 1,
  read: (rest) => rest.length === 1,
  ls: (rest) => rest.length <= 1,
  mkdir: (rest) => rest.length === 1,
  rm: (rest) => rest.length === 1,
  stat: (rest) => rest.length === 1,
  big: (rest) => rest.length === 2 && /^\d+$/.test(rest[1]) && Number(rest[1]) <= MAX_MIB,
  fill: (rest) => rest.length === 3 && /^\d+$/.test(rest[1]) && Number(rest[1]) <= MAX_MIB && rest[2].length === 1,
  noise: (rest) => rest.length === 2 && /^\d+$/.test(rest[1]) && Number(rest[1]) <= MAX_MIB,
  hold: (rest) => rest.length === 2 && /^\d+$/.test(rest[1]),
};

async function main(args, out, err) {
  const dirs = getDirectories(); // list<tuple<descriptor, string>> -> [[descriptor, name], ...]
  if (dirs.length === 0) {
    await err.print("files: no directory was granted (no preopens)\n");
    return 2;
  }
  const [root, rootName] = dirs[0];

  const [command, ...rest] = args;
  if (!Object.prototype.hasOwnProperty.call(COMMANDS, command) || !COMMANDS[command](rest)) {
    await err.print(USAGE);
    return 2;
  }
  const path = rest[0] ?? ".";
  const rel = relativeTo(rootName, path);

  try {
    switch (command) {
      case "write":
      case "append": {
        const bytes = utf8(rest.slice(1).join(" ") + "\n");
        const open = command === "write" ? { create: true, truncate: true } : { create: true };
        const fd = await root.openAt(NO_FOLLOW, rel, open, { write: true });
        try {
          // An iterable passed for a stream<u8> parameter becomes the stream: the guest keeps its
          // writable end and writes each yielded chunk, then closes it when the iterable ends.
          const chunks = [bytes];
          await finished(command === "write" ? fd.writeViaStream(chunks, 0) : fd.appendViaStream(chunks));
          await out.print(command === "write" ? `wrote ${bytes.length} bytes to ${path}\n` : `appended ${bytes.length} bytes to ${path}\n`);
        } finally {
          close(fd);
        }
        break;
      }
      case "read": {
        const fd = await root.openAt(NO_FOLLOW, rel, {}, { read: true });
        try {
          await drain(fd.readViaStream(0), (chunk) => out.write(chunk));
        } finally {
          close(fd);
        }
        break;
      }
      case "ls": {
        const dir = rest.length === 0 ? root : await root.openAt(FOLLOW, rel, { directory: true }, { read: true });
        const entries = [];
        try {
          await drain(dir.readDirectory(), (entry) => entries.push(entry)); // one directory-entry at a time
        } finally {
          if (dir !== root) close(dir);
        }
        entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        let text = "";
        for (const entry of entries) text += `${entry.type.tag} ${entry.name}\n`;
        if (text) await out.print(text);
        break;
      }
      case "mkdir":
        await root.createDirectoryAt(rel);
        await out.print(`made directory ${path}\n`);
        break;
      case "rm":
        await root.unlinkFileAt(rel);
        await out.print(`removed ${path}\n`);
        break;
      case "stat": {
        const st = await root.statAt(FOLLOW, rel); // u64 size arrives as a JS number
        await out.print(`size ${st.size} type ${st.type.tag}\n`);
        break;
      }
      case "big":
      case "fill":
      case "noise": {
        const mib = Number(rest[1]);
        const fill = command === "fill" ? rest[2].charCodeAt(0) : command === "noise" ? "noise" : undefined;
        const fd = await root.openAt(NO_FOLLOW, rel, { create: true, truncate: true }, { write: true });
        try {
          // One write-via-stream for the whole file: its writable end receives chunk after chunk,
          // each taken from the generator only once the previous one was written.
          await finished(fd.writeViaStream(pattern(mib, out, fill), 0));
        } finally {
          close(fd);
        }
        await out.print(`wrote ${mib} MiB to ${path}\n`);
        break;
      }
      case "hold": {
        // An open file outlives its last name (POSIX): what it held is read after the name is gone.
        const fd = await root.openAt(NO_FOLLOW, rel, {}, { read: true });
        try {
          await root.unlinkFileAt(rel);
          await out.print(`removed ${path}, holding it open\n`);
          await waitFor(Number(rest[1]) * 1000000); // u64 nanoseconds, a JS number in QuickJS
          let bytes = 0;
          await drain(fd.readViaStream(0), (chunk) => {
            bytes += chunk.length;
            return out.write(chunk);
          });
          await out.print(`read ${bytes} bytes from the removed file\n`);
        } finally {
          close(fd);
        }
        break;
      }
    }
    return 0;
  } catch (e) {
    const tag = errorTag(e);
    if (tag === null) throw e; // not a filesystem error: a bug, let the run fail loudly
    await err.print(`files: ${command} ${path}: ${tag}\n`);
    return 1;
  }
}

export const run = {
  async run() {
    const out = new Output(stdoutStream);
    const err = new Output(stderrStream);
    let code;
    try {
      code = await main(getArguments().slice(1), out, err); // argv[0] is the program name
    } finally {
      // Close both streams (and wait for the host to take every byte) before exiting.
      await out.close();
      await err.close();
    }
    if (code !== 0) exitWithCode(code); // does not return
  },
};
