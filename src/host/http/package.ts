/** wasi:http as the host serves it: 0.3.0 over one HttpCtx per run (no 0.2 view: guests built today use 0.3 for HTTP). */
import { interfacesAt, wasiPackage } from "../package";
import type { HttpCtx } from "./ctx";
import { httpP3 } from "./p3";

export const httpPackage = wasiPackage({
  interfaces: interfacesAt("wasi:http", "0.3.0", ["types", "client", "handler"]),
  suspending: {},
  serve: (run: { http: HttpCtx }) => httpP3(run.http),
});
