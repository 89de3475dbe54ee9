/** fs-owner worker: workspace files for the UI (see src/client/FsClient.ts). */
import { expose } from "comlink";
import { FsService } from "../src/host/filesystem/fs-service";
import { broadcastChanges, Workspaces } from "../src/host/filesystem/workspace";

expose(new FsService(new Workspaces(broadcastChanges())));
