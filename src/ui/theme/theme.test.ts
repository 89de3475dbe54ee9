import { describe, expect, it } from "vitest";
import { monacoTheme, parseChoice, resolveTheme } from "./theme";

describe("parseChoice", () => {
  it("reads a saved choice", () => {
    expect(parseChoice("light")).toBe("light");
    expect(parseChoice("dark")).toBe("dark");
    expect(parseChoice("system")).toBe("system");
  });

  it("follows the system when nothing (or nonsense) was saved", () => {
    expect(parseChoice(null)).toBe("system");
    expect(parseChoice("solarized")).toBe("system");
    expect(parseChoice("")).toBe("system");
  });
});

describe("resolveTheme", () => {
  it("follows the system only when asked to", () => {
    expect(resolveTheme("system", true)).toBe("dark");
    expect(resolveTheme("system", false)).toBe("light");
    expect(resolveTheme("light", true)).toBe("light");
    expect(resolveTheme("dark", false)).toBe("dark");
  });
});

describe("monacoTheme", () => {
  it("is Monaco's dark theme for dark, its light one for light", () => {
    expect(monacoTheme("dark")).toBe("vs-dark");
    expect(monacoTheme("light")).toBe("vs");
  });
});
