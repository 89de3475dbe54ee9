/** Preview Service Worker: routes `/preview/<run>/...` to the runtime worker serving it (see src/host/http/preview.ts). */
import { askPages, PreviewRouter, type PageClients } from "../src/host/http/preview";

interface FetchEvent extends Event {
  request: Request;
  respondWith(r: Promise<Response>): void;
}
interface ExtendableEvent extends Event {
  waitUntil(p: Promise<unknown>): void;
}
declare const self: EventTarget & { skipWaiting(): Promise<void>; clients: PageClients & { claim(): Promise<void> } };

const router = new PreviewRouter((run) => askPages(self.clients, run));
self.addEventListener("install", () => void self.skipWaiting());
self.addEventListener("activate", (e) => (e as ExtendableEvent).waitUntil(self.clients.claim()));
self.addEventListener("fetch", (e) => {
  const response = router.route((e as FetchEvent).request);
  if (response) (e as FetchEvent).respondWith(response);
});
