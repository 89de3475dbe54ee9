/** WIT worker: checks and generated types for the editor (see src/client/WitClient.ts). */
import { expose } from "comlink";
import { WitService } from "../src/authoring/wit-service";

expose(new WitService());
