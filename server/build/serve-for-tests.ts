/** The build endpoint on a real HTTP server with a fresh cache, on a free port: for the endpoint's tests. */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JsBuildRequestBody, JsBuildStreamEvent } from "../../src/protocol/authoring-api.ts";
import { createBuildEndpoint, type BuildEndpointOptions } from "./endpoint.ts";

const depsDir = new URL("../../wit/deps", import.meta.url).pathname;

export type Done = Extract<JsBuildStreamEvent, { type: "done" }>;

/** A build request of `guest.js` and `wit/world.wit`. */
export const buildBody = (js: string, wit: string): JsBuildRequestBody => ({ files: [{ path: "wit/world.wit", text: wit }, { path: "guest.js", text: js }], entry: "guest.js", world: null });

export const doneOf = (events: JsBuildStreamEvent[]): Done => events.find((e): e is Done => e.type === "done")!;

export async function serveBuilds(opts: Partial<BuildEndpointOptions> = {}) {
  const cacheDir = mkdtempSync(join(tmpdir(), "build-cache-test-"));
  const endpoint = createBuildEndpoint({ cacheDir, depsDir, timeoutMs: 60_000, concurrency: 1, maxWaiting: 4, ...opts });
  const server: Server = createServer((req, res) => {
    if (!endpoint.handle(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const build = async (b: unknown): Promise<{ status: number; events: JsBuildStreamEvent[]; json?: { message: string } }> => {
    const res = await fetch(`${base}/api/build`, { method: "POST", body: JSON.stringify(b) });
    const text = await res.text();
    if (res.headers.get("content-type")?.startsWith("application/json")) return { status: res.status, events: [], json: JSON.parse(text) };
    return { status: res.status, events: text.trim().split("\n").map((l) => JSON.parse(l) as JsBuildStreamEvent) };
  };
  /** Builds and fetches the component; throws with the build's message when it fails. */
  const component = async (b: JsBuildRequestBody): Promise<Uint8Array> => {
    const done = doneOf((await build(b)).events);
    if (!done.ok) throw new Error(done.message);
    return new Uint8Array(await (await fetch(`${base}/api/build/${done.hash}.wasm`)).arrayBuffer());
  };
  const close = () => {
    endpoint.dispose();
    server.close();
    rmSync(cacheDir, { recursive: true, force: true });
  };
  return { base, build, component, close };
}
