import { describe, expect, it } from "vitest";
import { embedSnippet, isEmbed, linkTarget, projectLink, withEmbed } from "./link";

describe("links", () => {
  it("finds the state in the hash, or a short link's id in the path", () => {
    expect(linkTarget({ pathname: "/", hash: "#/p/H4sIAAA" })).toEqual({ kind: "hash", data: "H4sIAAA" });
    expect(linkTarget({ pathname: "/s/AAAAAAAAAAAAAAAA", hash: "" })).toEqual({ kind: "short", id: "AAAAAAAAAAAAAAAA" });
    expect(linkTarget({ pathname: "/", hash: "#/" })).toEqual({ kind: "none" });
    expect(linkTarget({ pathname: "/", hash: "#/conformance" })).toEqual({ kind: "none" });
    expect(linkTarget({ pathname: "/s/short", hash: "" })).toEqual({ kind: "none" });
  });

  it("builds a link, and the embed of any link", () => {
    const link = projectLink("http://localhost:8080", "abc");
    expect(link).toBe("http://localhost:8080/#/p/abc");
    expect(withEmbed(link, true)).toBe("http://localhost:8080/?embed=1#/p/abc");
    expect(withEmbed(withEmbed(link, true), false)).toBe("http://localhost:8080/#/p/abc");
    expect(withEmbed("http://h/s/AAAAAAAAAAAAAAAA", true)).toBe("http://h/s/AAAAAAAAAAAAAAAA?embed=1");
    expect(isEmbed("?embed=1")).toBe(true);
    expect(isEmbed("?embed=0")).toBe(false);
    expect(embedSnippet(link, 'hello "world"')).toBe(
      '<iframe src="http://localhost:8080/?embed=1#/p/abc" title="hello &quot;world&quot;" width="100%" height="480" style="border:1px solid #8884;border-radius:6px" loading="lazy"></iframe>',
    );
  });
});
