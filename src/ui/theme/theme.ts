/**
 * Light or dark: the user's choice (system, light, dark), saved in localStorage, and the theme it
 * comes to given the system's preference (`prefers-color-scheme`).
 */

export const THEME_CHOICES = ["system", "light", "dark"] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];
export type Theme = "light" | "dark";

export const THEME_KEY = "wasi-playground:theme";

/** A saved choice, or "system" for anything else (nothing saved, or an unknown value). */
export function parseChoice(saved: string | null): ThemeChoice {
  return THEME_CHOICES.find((c) => c === saved) ?? "system";
}

export function resolveTheme(choice: ThemeChoice, systemDark: boolean): Theme {
  if (choice === "system") return systemDark ? "dark" : "light";
  return choice;
}

/** Monaco's built-in theme for a page theme (Monaco has one theme for all its editors). */
export function monacoTheme(theme: Theme): "vs" | "vs-dark" {
  return theme === "dark" ? "vs-dark" : "vs";
}
