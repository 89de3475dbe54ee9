import { describe, expect, it } from "vitest";
import { allows, parseAllowEntry, parseAllowList } from "./allow-list";

const list = (text: string) => {
  const { entries, errors } = parseAllowList(text);
  expect(errors).toEqual([]);
  return entries;
};

describe("network allow-list", () => {
  it("denies everything when empty", () => {
    expect(allows([], "example.com", 443)).toBe(false);
  });

  it("matches names exactly, case-insensitively, and wildcards on subdomains only", () => {
    const l = list("Example.com:443\n*.example.org:*\n");
    expect(allows(l, "example.com", 443)).toBe(true);
    expect(allows(l, "EXAMPLE.COM.", 443)).toBe(true);
    expect(allows(l, "example.com", 80)).toBe(false);
    expect(allows(l, "www.example.com", 443)).toBe(false);
    expect(allows(l, "a.b.example.org", 1)).toBe(true);
    expect(allows(l, "example.org", 1)).toBe(false);
  });

  it("matches IP literals by value and port ranges inclusively", () => {
    const l = list("127.0.0.1:8000-8099\n[0:0::1]:9000 # loopback v6\n");
    expect(allows(l, "127.0.0.1", 8000)).toBe(true);
    expect(allows(l, "127.0.0.1", 8099)).toBe(true);
    expect(allows(l, "127.0.0.1", 8100)).toBe(false);
    expect(allows(l, "::1", 9000)).toBe(true);
    expect(allows(l, "[::1]", 9000)).toBe(true);
  });

  it("lets * match any host but never an IP through a *.domain pattern", () => {
    expect(allows(list("*:80"), "10.1.2.3", 80)).toBe(true);
    expect(allows(list("*.0.0.1:80"), "127.0.0.1", 80)).toBe(false);
  });

  it("explains bad entries", () => {
    expect(parseAllowEntry("example.com").ok).toBe(false);
    expect(parseAllowEntry("example.com:0")).toMatchObject({ ok: false, error: expect.stringMatching(/not a port/) });
    expect(parseAllowEntry("::1:80")).toMatchObject({ ok: false, error: expect.stringMatching(/brackets/) });
    expect(parseAllowEntry("exa mple.com:80")).toMatchObject({ ok: false, error: expect.stringMatching(/not a host name/) });
    expect(parseAllowList("ok.com:1\nbad\n").errors).toEqual([expect.stringMatching(/^line 2:/)]);
  });
});
