// spin: a guest that never yields. Only terminating its worker can stop it.
import { writeViaStream } from "wasi:cli/stdout@0.3.0";

export const run = {
  async run() {
    const { readable, writable } = wit.Stream(wit.Stream.U8);
    const done = writeViaStream(readable);
    // "spinning...\n" in ASCII; QuickJS has no TextEncoder.
    await writable.writeAll(new Uint8Array([115, 112, 105, 110, 110, 105, 110, 103, 46, 46, 46, 10]));
    writable.drop();
    await done.read();
    let n = 0;
    for (;;) n = (n + 1) | 0;
  },
};
