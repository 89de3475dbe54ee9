/**
 * The page's theme: the saved choice, the system's preference (followed live), and the theme they
 * resolve to, set on <html> as `data-theme` (the CSS reads it through `color-scheme`). Monaco and
 * the timeline's canvas take `theme` from here.
 */
import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useState, type ReactNode } from "react";
import { parseChoice, resolveTheme, THEME_KEY, type Theme, type ThemeChoice } from "./theme";

export interface ThemeSettings {
  choice: ThemeChoice;
  theme: Theme;
  setChoice(choice: ThemeChoice): void;
}

const Ctx = createContext<ThemeSettings | null>(null);
const DARK_QUERY = "(prefers-color-scheme: dark)";

function savedChoice(): ThemeChoice {
  try {
    return parseChoice(localStorage.getItem(THEME_KEY));
  } catch {
    return "system";
  }
}

export function ThemeProvider({ children }: { children: ReactNode }) {
  const [choice, setChoiceState] = useState(savedChoice);
  const [systemDark, setSystemDark] = useState(() => matchMedia(DARK_QUERY).matches);
  useEffect(() => {
    const query = matchMedia(DARK_QUERY);
    const on = () => setSystemDark(query.matches);
    query.addEventListener("change", on);
    return () => query.removeEventListener("change", on);
  }, []);
  const theme = resolveTheme(choice, systemDark);
  // Before the browser paints, so nothing shows in the other theme first.
  useLayoutEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  const setChoice = useCallback((c: ThemeChoice) => {
    try {
      localStorage.setItem(THEME_KEY, c);
    } catch {
      // Storage unavailable (private mode): the choice lasts for this page only.
    }
    setChoiceState(c);
  }, []);
  const value = useMemo(() => ({ choice, theme, setChoice }), [choice, theme, setChoice]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useTheme(): ThemeSettings {
  const v = useContext(Ctx);
  if (!v) throw new Error("useTheme() outside <ThemeProvider>");
  return v;
}
