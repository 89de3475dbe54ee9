/** Net worker: the playground's virtual network hub and relay connection (see src/client/NetClient.ts). */
import { expose } from "comlink";
import { NetHub } from "../src/host/sockets/vnet/hub";
import { openBrowserTransport } from "../src/host/sockets/wisp/transport";

expose(new NetHub(openBrowserTransport));
