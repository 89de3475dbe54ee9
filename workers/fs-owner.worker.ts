/**
 * fs-owner worker: a SharedWorker, so one owner serves every tab (a dedicated worker per tab where
 * the browser has none). See src/client/FsClient.ts.
 */
import { expose } from "comlink";
import { FsService } from "../src/host/filesystem/fs-service";
import { browserOwner } from "../src/host/filesystem/workspace";

const api = new FsService(browserOwner());
const scope = self as unknown as { onconnect?: ((e: MessageEvent) => void) | null };
if ("onconnect" in scope) scope.onconnect = (e) => expose(api, e.ports[0]!);
else expose(api);
