// The trust stores of the page's https: the web's roots as the build writes them (Node's copy of
// Mozilla's list) all parse, so one odd root cannot take the whole store down; it is fetched and parsed once.
import { rootCertificates } from "node:tls";
import { describe, expect, it } from "vitest";
import { TrustedCert } from "subtls";
import { WEB_ROOTS_URL, webTrust } from "./tls";

describe("trust stores", () => {
  it("webTrust fetches the page's root store once and indexes every root", async () => {
    const asked: string[] = [];
    const trust = webTrust(async (url) => (asked.push(String(url)), new Response(`${rootCertificates.join("\n")}\n`)));
    const db = await trust.roots();
    expect(db.index.offsets.length - 1).toBe(rootCertificates.length);
    expect(await trust.roots()).toBe(db);
    expect(asked).toEqual([WEB_ROOTS_URL]);
    // A root is found by its subject, as a chain's last issuer names it.
    const isrg = await TrustedCert.findInDatabase({ C: "US", O: "Internet Security Research Group", CN: "ISRG Root X1" }, db);
    expect(isrg?.basicConstraints?.ca).toBe(true);
  });

  it("a root store that cannot be fetched fails the request, not the run", async () => {
    await expect(webTrust(async () => new Response("", { status: 404 })).roots()).rejects.toThrow(`${WEB_ROOTS_URL} answered 404`);
  });
});
