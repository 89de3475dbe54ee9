/**
 * Runs the Wisp relay on its own: `node --import tsx server/relay-main.ts [--config FILE] [--port N]`.
 * `npm start` runs it inside the app server; tests run it alone so they can kill and restart it.
 */
import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { loadRelayConfig, relayBanner, startRelay } from "./relay";

const { values } = parseArgs({ options: { config: { type: "string" }, port: { type: "string" } } });
const source = resolve(values.config ?? process.env.RELAY_CONFIG ?? resolve(import.meta.dirname, "relay.config.json"));
const relay = await startRelay(loadRelayConfig(source), values.port === undefined ? {} : { port: Number(values.port) });
console.log(relayBanner(relay, source));
process.on("unhandledRejection", (err) => console.error("relay: unhandled error:", err));
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => void relay.close().then(() => process.exit(0)));
