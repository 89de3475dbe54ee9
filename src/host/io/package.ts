/**
 * wasi:io as the host serves it: 0.2 only (0.3 has stream<T> and future<T> in the Component Model
 * instead). Its resources are created per run (`createIoP2`) and handed out by the other packages.
 */
import { interfacesAt, wasiPackage } from "../package";
import { ioP2Suspending, type IoP2 } from "./p2";

export const ioPackage = wasiPackage({
  interfaces: interfacesAt("wasi:io", "0.2.12", ["error", "poll", "streams"]),
  suspending: ioP2Suspending,
  serve: (run: { io: IoP2 }) => run.io.interfaces,
});
