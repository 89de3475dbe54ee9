import { describe, expect, it } from "vitest";
import { isAuthority, isPathWithQuery, methodFromName, methodName, normalizeMethod, normalizeScheme, splitAuthority } from "./uri";

describe("request target parts", () => {
  it("methods: standard ones by their exact name, others as tokens", () => {
    expect(normalizeMethod({ tag: "other", val: "GET" })).toEqual({ tag: "get" });
    expect(normalizeMethod({ tag: "other", val: "get" })).toEqual({ tag: "other", val: "get" });
    expect(normalizeMethod({ tag: "other", val: "" })).toBeNull();
    expect(normalizeMethod({ tag: "other", val: "a b" })).toBeNull();
    expect(methodName(methodFromName("PATCH"))).toBe("PATCH");
    expect(methodName({ tag: "other", val: "PURGE" })).toBe("PURGE");
  });

  it("schemes: http and https by name, others by RFC 3986 syntax", () => {
    expect(normalizeScheme({ tag: "other", val: "https" })).toEqual({ tag: "HTTPS" });
    expect(normalizeScheme({ tag: "other", val: "ws+x" })).toEqual({ tag: "other", val: "ws+x" });
    expect(normalizeScheme({ tag: "other", val: "1x" })).toBeNull();
  });

  it("authorities: user info, host or IP literal, port", () => {
    expect(splitAuthority("user:pw@example.com:8080")).toEqual({ host: "example.com", port: 8080 });
    expect(splitAuthority("[::1]:80")).toEqual({ host: "[::1]", port: 80 });
    expect(splitAuthority("localhost")).toEqual({ host: "localhost", port: null });
    for (const bad of ["", ":@", "@@", "::", "a b", "host:http", "host:70000", "[::1", "#"]) expect(isAuthority(bad), bad).toBe(false);
  });

  it("paths: RFC 3986 characters and UTF-8, no spaces, controls or fragments", () => {
    expect(["/", "/a/b?c=d&e", "a/b", "?q", "/%2F", "/ü"].every(isPathWithQuery)).toBe(true);
    expect(["/a b", "/a#f", "/\x7f", "/<"].some(isPathWithQuery)).toBe(false);
  });
});
