import { describe, expect, it } from "vitest";
import type { ComponentInfo } from "../../protocol/runtime";
import { addressOf, isHandlerFunc, previewUrl, servesHttp } from "./serve";
import { servingLine } from "./serving";

const info = (...exports: string[]): ComponentInfo => ({ name: "c.wasm", size: 1, sha256: "", wit: "", imports: [], exports, funcs: [], isCommand: false });

describe("serving", () => {
  it("serves a component exporting wasi:http/handler 0.3, not 0.2's incoming-handler or a look-alike", () => {
    expect(servesHttp(info("wasi:http/handler@0.3.0"))).toBe(true);
    expect(servesHttp(info("wasi:http/handler@0.3.0-rc-2025-09-16", "wasi:cli/run@0.3.0"))).toBe(true);
    expect(servesHttp(info("wasi:http/incoming-handler@0.2.6"))).toBe(false);
    expect(servesHttp(info("my:http/handler@0.3.0"))).toBe(false);
    expect(isHandlerFunc("wasi:http/handler@0.3.0")).toBe(true);
    expect(isHandlerFunc(null)).toBe(false);
  });

  it("shows the handler's path in the address bar and maps what is typed back to the preview", () => {
    expect(addressOf("/preview/k3x9q2/stream?n=3")).toBe("/stream?n=3");
    expect(addressOf("/preview/k3x9q2")).toBe("/");
    expect(previewUrl("/preview/k3x9q2/", "stream?n=3")).toBe("/preview/k3x9q2/stream?n=3");
    expect(previewUrl("/preview/k3x9q2/", " ")).toBe("/preview/k3x9q2/");
  });
});

describe("servingLine", () => {
  it("says where the served component answers, and what is missing", () => {
    expect(servingLine({ component: "h.wasm", handler: "wasi:http/handler@0.3.0#handle", listen: "localhost:8080", preview: "/preview/ab12/", previewId: "ab12" })).toBe(
      "serving wasi:http/handler@0.3.0#handle: the page at /preview/ab12/, components at http://localhost:8080/. The HTTP tab sends it requests; Stop ends it.\n",
    );
    expect(servingLine({ component: "h.wasm", handler: "h#handle", listen: "localhost:8081", preview: null, previewId: null }, "Stop it in the Network panel.")).toBe(
      "serving h#handle: components at http://localhost:8081/. Stop it in the Network panel.\n",
    );
    expect(servingLine({ component: "h.wasm", handler: "h#handle", listen: null, preview: null, previewId: null })).toBe("serving h#handle. The HTTP tab sends it requests; Stop ends it.\n");
  });
});
