/**
 * The bounded-memory page's hub: the playground's NetHub (virtual network and Wisp relay link) in a
 * SharedWorker, where the app has it in a dedicated one. Playwright attaches to dedicated workers
 * with the DevTools Network domain on, which copies every WebSocket frame (base64) into the
 * protocol: a tenth of the relay's speed, and memory that is not ours. It leaves shared workers be;
 * the spec attaches to this one itself, for its heap alone.
 */
import { NetHub } from "../../src/host/sockets/vnet/hub";
import { openBrowserTransport } from "../../src/host/sockets/wisp/transport";

const hub = new NetHub(openBrowserTransport);

type HubCommand = { t: "relay"; url: string } | { t: "attach"; node: number; name: string };

(self as unknown as { onconnect: (e: MessageEvent) => void }).onconnect = (e) => {
  const control = e.ports[0]!;
  control.onmessage = (m: MessageEvent<HubCommand>) => {
    if (m.data.t === "relay") hub.setRelay(m.data.url, []);
    else hub.attach(m.data.node, m.data.name, m.ports[0]!);
  };
};
