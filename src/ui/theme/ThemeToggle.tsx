/** The theme picker in the page header: follow the system, or always light, or always dark. */
import { THEME_CHOICES, type ThemeChoice } from "./theme";
import { useTheme } from "./ThemeContext";

const LABELS: Record<ThemeChoice, string> = { system: "System theme", light: "Light", dark: "Dark" };

export function ThemeToggle() {
  const { choice, setChoice } = useTheme();
  return (
    <select className="theme-toggle" aria-label="Theme" data-testid="theme-select" value={choice} onChange={(e) => setChoice(THEME_CHOICES.find((c) => c === e.target.value) ?? "system")}>
      {THEME_CHOICES.map((c) => (
        <option key={c} value={c}>
          {LABELS[c]}
        </option>
      ))}
    </select>
  );
}
