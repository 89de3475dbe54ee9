/** Build worker: WAT builds, JS builds through the server, component details (see src/client/BuildClient.ts). */
import { expose } from "comlink";
import { BuildService } from "../src/authoring/build-service";

expose(new BuildService(self.location.origin));
