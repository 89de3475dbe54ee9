/** The host every engine benchmark runs its guests on: arguments `bench`, no input, output dropped. */
import { createHost } from "../src/host";

export function quietHost(canSuspend: boolean) {
  return createHost({ cli: { args: ["bench"], env: [], stdin: new Uint8Array(), stdout: { write() {} }, stderr: { write() {} } }, blocking: { canSuspend } });
}
