import { describe, expect, it } from "vitest";
import { checkRequest, EMPTY_DRAFT, parseHeaderLines } from "./request";

describe("parseHeaderLines", () => {
  it("reads Name: value lines, trims spaces, skips blank lines and keeps repeats in order", () => {
    expect(parseHeaderLines("Content-Type: text/plain\n\n  x-a :  1 \nX-A: 2\r\nx-empty:")).toEqual({
      headers: [
        ["Content-Type", "text/plain"],
        ["x-a", "1"],
        ["X-A", "2"],
        ["x-empty", ""],
      ],
      errors: [],
    });
  });

  it("names the line and what is wrong with it", () => {
    const { headers, errors } = parseHeaderLines("ok: 1\nno colon here\n: value\nbad name: x\nx-ctl: a\u0001b\nHost: example.com\nSec-Fetch-Mode: cors\nProxy-Authorization: x");
    expect(headers).toEqual([["ok", "1"]]);
    expect(errors).toEqual([
      "header line 2: 'no colon here' has no ':' (write Name: value)",
      "header line 3: the name before ':' is empty",
      "header line 4: 'bad name' is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)",
      "header line 5: the value of 'x-ctl' has a control character",
      "header line 6: the browser sets 'Host' itself; a request from the page cannot",
      "header line 7: the browser sets 'Sec-Fetch-Mode' itself; a request from the page cannot",
      "header line 8: the browser sets 'Proxy-Authorization' itself; a request from the page cannot",
    ]);
  });
});

describe("checkRequest", () => {
  it("makes the request to send: any method token, the path from /, fields, a body or none", () => {
    expect(checkRequest(EMPTY_DRAFT)).toEqual({ ok: true, request: { method: "GET", path: "/", headers: [], body: null } });
    expect(checkRequest({ method: " PURGE ", path: "cache?all=1", headers: "x-a: 1", body: "" })).toEqual({ ok: true, request: { method: "PURGE", path: "/cache?all=1", headers: [["x-a", "1"]], body: null } });
    expect(checkRequest({ method: "POST", path: "/echo", headers: "content-type: text/plain", body: "héllo" })).toEqual({
      ok: true,
      request: { method: "POST", path: "/echo", headers: [["content-type", "text/plain"]], body: "héllo" },
    });
  });

  it("refuses what fetch would refuse, every reason at once", () => {
    expect(checkRequest({ method: "GET", path: "http://example.com/x", headers: "Cookie: a=1", body: "data" })).toEqual({
      ok: false,
      errors: [
        "body: a GET request cannot have a body (fetch refuses it); clear it or use POST",
        "path: give the path inside the served component (like /stream?n=3), not a URL",
        "header line 1: the browser sets 'Cookie' itself; a request from the page cannot",
      ],
    });
    expect(checkRequest({ ...EMPTY_DRAFT, method: "trace" })).toEqual({ ok: false, errors: ["method: the browser refuses to send TRACE"] });
    expect(checkRequest({ ...EMPTY_DRAFT, method: "GE T" })).toEqual({ ok: false, errors: ["method: 'GE T' is not a method name (a token such as GET or PURGE)"] });
    expect(checkRequest({ ...EMPTY_DRAFT, path: "/a b" })).toEqual({ ok: false, errors: ["path: it has a space; write it as %20"] });
  });
});
