/** The legend under the toolbar: a swatch and a word for each kind of mark (legend.ts). */
import { legendEntries } from "./legend";
import type { TimelinePalette } from "./palette";

export function TimelineLegend({ palette }: { palette: TimelinePalette }) {
  return (
    <ul className="timeline-legend" data-testid="timeline-legend" aria-label="Legend">
      {legendEntries(palette).map((e) => (
        <li key={e.label} title={e.title}>
          <span className={`swatch swatch-${e.shape}`} style={e.shape === "bar" || e.shape === "mark" ? { background: e.color } : { borderColor: e.color }} />
          {e.label}
        </li>
      ))}
    </ul>
  );
}
