// files-p2: the same workspace through wasi:filesystem 0.2, where every call is synchronous.
import { getArguments } from "wasi:cli/environment@0.2.12";
import { getStdout } from "wasi:cli/stdout@0.2.12";
import { getStderr } from "wasi:cli/stderr@0.2.12";
import { getDirectories } from "wasi:filesystem/preopens@0.2.12";

const USAGE = `usage: files-p2 COMMAND [ARGS...]
  write PATH TEXT...    create or truncate PATH, write TEXT and a newline
  append PATH TEXT...   append TEXT and a newline to PATH (created if missing)
  read PATH             print PATH
  ls [PATH]             list the granted directory, or PATH inside it
  mkdir PATH            make a directory
  rm PATH               remove a file
  stat PATH             print size and type
`;

const NO_FOLLOW = { symlinkFollow: false };
const FOLLOW = { symlinkFollow: true };
const READ_CHUNK = 64 * 1024;

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
 * Writes all of `bytes` to a 0.2 output-stream. `blocking-write-and-flush` takes at most 4096
 * bytes per call, and returns only once the host has them (for a file: stored in IndexedDB).
 */
function writeAll(stream, bytes) {
  for (let at = 0; at < bytes.length; at += 4096) stream.blockingWriteAndFlush(bytes.subarray(at, at + 4096));
}

/** Drops an owned resource now rather than when the instance ends. */
function close(resource) {
  try {
    if (typeof Symbol.dispose === "symbol" && typeof resource[Symbol.dispose] === "function") resource[Symbol.dispose]();
  } catch {
    // Already gone: nothing to release.
  }
}

/**
 * What an import's `err` result arrived as: a function whose result is `err` throws an Error
 * whose `payload` is the error value.
 */
function payloadOf(err) {
  return err && typeof err === "object" ? err.payload : undefined;
}

/** The error-code of a filesystem failure (0.2: an enum, so a plain string such as "no-entry"), or null. */
function errorCode(err) {
  const payload = payloadOf(err);
  return typeof payload === "string" ? payload : null;
}

/** A stream-error: `closed` means the end of the file. */
function isClosed(err) {
  const payload = payloadOf(err);
  return Boolean(payload) && payload.tag === "closed";
}

/** Makes PATH relative to the preopen: its guest name (e.g. "/") may be written in front of it. */
function relativeTo(root, path) {
  if (root === "/" || root === "") return path.replace(/^\/+/, "") || ".";
  if (path === root) return ".";
  if (path.startsWith(root + "/")) return path.slice(root.length + 1) || ".";
  return path;
}

const COMMANDS = {
  write: (rest) => rest.length >= 1,
  append: (rest) => rest.length >= 1,
  read: (rest) => rest.length === 1,
  ls: (rest) => rest.length <= 1,
  mkdir: (rest) => rest.length === 1,
  rm: (rest) => rest.length === 1,
  stat: (rest) => rest.length === 1,
};

function main(args, out, err) {
  const dirs = getDirectories(); // list<tuple<descriptor, string>> -> [[descriptor, name], ...]
  if (dirs.length === 0) {
    writeAll(err, utf8("files-p2: no directory was granted (no preopens)\n"));
    return false;
  }
  const [root, rootName] = dirs[0];

  const [command, ...rest] = args;
  if (!Object.prototype.hasOwnProperty.call(COMMANDS, command) || !COMMANDS[command](rest)) {
    writeAll(err, utf8(USAGE));
    return false;
  }
  const path = rest[0] ?? ".";
  const rel = relativeTo(rootName, path);

  try {
    switch (command) {
      case "write":
      case "append": {
        const bytes = utf8(rest.slice(1).join(" ") + "\n");
        const open = command === "write" ? { create: true, truncate: true } : { create: true };
        const fd = root.openAt(NO_FOLLOW, rel, open, { write: true });
        const stream = command === "write" ? fd.writeViaStream(0) : fd.appendViaStream();
        try {
          writeAll(stream, bytes);
        } finally {
          close(stream);
          close(fd);
        }
        writeAll(out, utf8(`${command === "write" ? "wrote" : "appended"} ${bytes.length} bytes to ${path} (wasi:filesystem 0.2)\n`));
        break;
      }
      case "read": {
        const fd = root.openAt(NO_FOLLOW, rel, {}, { read: true });
        const stream = fd.readViaStream(0);
        try {
          for (;;) {
            let chunk;
            try {
              chunk = stream.blockingRead(READ_CHUNK); // waits for IndexedDB; never empty unless at end
            } catch (e) {
              if (isClosed(e)) break;
              throw e;
            }
            writeAll(out, chunk);
          }
        } finally {
          close(stream);
          close(fd);
        }
        break;
      }
      case "ls": {
        const dir = rest.length === 0 ? root : root.openAt(FOLLOW, rel, { directory: true }, { read: true });
        const entries = [];
        const list = dir.readDirectory();
        try {
          for (let e = list.readDirectoryEntry(); e; e = list.readDirectoryEntry()) entries.push(e);
        } finally {
          close(list);
          if (dir !== root) close(dir);
        }
        entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        writeAll(out, utf8(entries.map((e) => `${e.type} ${e.name}\n`).join("")));
        break;
      }
      case "mkdir":
        root.createDirectoryAt(rel);
        writeAll(out, utf8(`made directory ${path}\n`));
        break;
      case "rm":
        root.unlinkFileAt(rel);
        writeAll(out, utf8(`removed ${path}\n`));
        break;
      case "stat": {
        const st = root.statAt(FOLLOW, rel); // 0.2: the type is an enum (a string)
        writeAll(out, utf8(`size ${st.size} type ${st.type}\n`));
        break;
      }
    }
    return true;
  } catch (e) {
    const code = errorCode(e);
    if (code === null) throw e; // not a filesystem error: a bug, let the run fail loudly
    writeAll(err, utf8(`files-p2: ${command} ${path}: ${code}\n`));
    return false;
  }
}

export const run = {
  // A 0.2 `run` is a plain synchronous function returning result<_, _>: returning is ok (exit
  // status 0), throwing is err (exit status 1).
  run() {
    const out = getStdout();
    const err = getStderr();
    const ok = main(getArguments().slice(1), out, err); // argv[0] is the program name
    close(out);
    close(err);
    if (!ok) throw "failed";
  },
};
