/** Runtime worker: runs components for the main thread (see src/client/RuntimeClient.ts). */
import { expose } from "comlink";
import { RuntimeService } from "../src/engine/runtime-service";

expose(new RuntimeService());
