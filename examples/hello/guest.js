// hello: arguments, environment, stdout/stderr and exit codes over WASI 0.3.
import { getArguments, getEnvironment } from "wasi:cli/environment@0.3.0";
import { exitWithCode } from "wasi:cli/exit@0.3.0";
import { writeViaStream as writeStdout } from "wasi:cli/stdout@0.3.0";
import { writeViaStream as writeStderr } from "wasi:cli/stderr@0.3.0";

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

// Writes `text` to a WASI 0.3 output (stdout/stderr): hand the host the readable
// end of a stream<u8>, fill the writable end, close it, then wait for the host's
// completion future (a future<result<_, error-code>>; futures are not thenable).
async function writeText(writeViaStream, text) {
  const { readable, writable } = wit.Stream(wit.Stream.U8);
  const done = writeViaStream(readable);
  await writable.writeAll(utf8(text));
  writable.drop();
  const result = await done.read();
  if (result && result.tag === "err") throw new Error(`write failed: ${result.val}`);
}

export const run = {
  async run() {
    const args = getArguments().slice(1); // argv[0] is the program name
    const env = getEnvironment(); // list<tuple<string, string>> -> [[name, value], ...]
    const who = args.length > 0 ? args.join(" ") : "world";
    const names = env.map(([name]) => name).sort();

    await writeText(writeStdout, `Hello, ${who}!\n`);
    await writeText(writeStdout, `env: ${names.length > 0 ? names.join(", ") : "(none)"}\n`);
    await writeText(writeStderr, `hello: ${args.length} args, ${env.length} env vars\n`);

    const exitCode = env.find(([name]) => name === "EXIT_CODE");
    if (exitCode) {
      let code = /^\d+$/.test(exitCode[1].trim()) ? Number(exitCode[1].trim()) : NaN;
      if (!Number.isInteger(code) || code < 0 || code > 255) {
        await writeText(writeStderr, `hello: EXIT_CODE=${exitCode[1]} is not 0..255, using 1\n`);
        code = 1;
      }
      exitWithCode(code); // does not return
    }
    // Returning normally is `ok` -> exit status 0.
  },
};
