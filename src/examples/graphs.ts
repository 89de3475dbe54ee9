/**
 * The composition examples' graphs as data: which built parts (public/components/GROUP-PART.wasm)
 * are instantiated, under which instance names, and which export feeds which import. The same
 * wiring a composition of examples/gateway or examples/pipeline makes.
 */

/** An instance of a built example: `component` is its file name in public/components without `.wasm`. */
export interface Part {
  instance: string;
  component: string;
}

/** `importer`'s import `name` takes `exporter`'s export `export` (an interface instance). */
export interface Wire {
  importer: string;
  name: string;
  exporter: string;
  export: string;
}

/** Parts in instantiation order (every exporter before its importers) and the wires between them. */
export interface Graph {
  parts: Part[];
  wires: Wire[];
}

const gw = (name: string) => `playground:gateway/${name}@0.1.0`;
const gwWire = (importer: string, name: string, exporter: string, exported = name): Wire => ({ importer, name: gw(name), exporter, export: gw(exported) });

/** The edge API gateway: one upstream component instantiated twice, as `users` and as `orders`. */
export const GATEWAY: Graph = {
  parts: [
    { instance: "keys", component: "gateway-keys" },
    { instance: "auth", component: "gateway-auth" },
    { instance: "rate-limiter", component: "gateway-rate-limiter" },
    { instance: "users", component: "gateway-upstream" },
    { instance: "orders", component: "gateway-upstream" },
    { instance: "router", component: "gateway-router" },
  ],
  wires: [
    gwWire("auth", "keys", "keys"),
    gwWire("router", "limits", "rate-limiter"),
    gwWire("router", "auth", "auth"),
    gwWire("router", "users", "users", "upstream"),
    gwWire("router", "orders", "orders", "upstream"),
  ],
};

export const GATEWAY_API = gw("api");

const SOURCE = "playground:pipeline/source@0.1.0";

/** The stream pipeline: each stage's `source` import is the previous stage's `source` export. */
export const PIPELINE: Graph = {
  parts: [
    { instance: "producer", component: "pipeline-producer" },
    { instance: "transform", component: "pipeline-transform" },
    { instance: "consumer", component: "pipeline-consumer" },
  ],
  wires: [
    { importer: "transform", name: SOURCE, exporter: "producer", export: SOURCE },
    { importer: "consumer", name: SOURCE, exporter: "transform", export: SOURCE },
  ],
};

/** The pipeline's consumer's lines: the producer's text, upper-cased by the transform. */
export const PIPELINE_TEXT = Array.from({ length: 12 }, (_, i) => `line ${String(i + 1).padStart(2, "0")} of 12: written in one burst, read slowly\n`).join("");
