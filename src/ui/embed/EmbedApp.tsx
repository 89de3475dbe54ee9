/**
 * `?embed=1`: a project shown compact and read-only for docs and posts: the component, what it
 * runs with, Run and Stop, the console and the timeline, and "Open in playground" for the rest.
 * It opens links like the playground does (the same checks, the same capability review) but never
 * rewrites its URL and keeps nothing of what it replaces.
 */
import { useState } from "react";
import { withEmbed } from "../../share/link";
import { usePlayground } from "../app/usePlayground";
import { ConsoleView } from "../console/ConsoleView";
import { resolveTarget, runRequest, targetFunc } from "../run/inputs";
import { ShareProvider, useShare, useShareStart } from "../share/ShareContext";
import { ShareNotices } from "../share/ShareNotices";
import { usePlaygroundParts } from "../share/usePlaygroundParts";
import { useTheme } from "../theme/ThemeContext";
import { TIMELINE_PALETTES } from "../timeline/palette";
import { TimelinePanel } from "../timeline/TimelinePanel";
import "./embed.css";

export function EmbedApp() {
  return (
    <ShareProvider embed>
      <EmbedPage />
    </ShareProvider>
  );
}

function EmbedPage() {
  const pg = usePlayground();
  usePlaygroundParts(pg);
  useShareStart();
  const { view } = useShare();
  const { theme } = useTheme();
  const [timelineOpen, setTimelineOpen] = useState(true);
  const c = pg.component;
  const info = c?.info ?? null;
  const inputs = info ? { ...pg.inputs, target: resolveTarget(info, pg.inputs.target) } : pg.inputs;
  const planned = info ? runRequest(info, inputs) : null;
  const fn = info ? targetFunc(info, inputs) : undefined;
  const what = !c ? "" : fn ? `${fn.name}(${fn.params.map((p) => `${p.name}: ${inputs.fnArgs[p.name] ?? ""}`).join(", ")})` : ["$", c.name, inputs.args].filter(Boolean).join(" ");
  const canRun = Boolean(planned?.request) && !pg.run.running && !c?.inspecting && pg.hold === null;

  return (
    <div className="embed" data-testid="embed">
      <header className="embed-bar">
        <strong data-testid="embed-component">{c?.name ?? (view.busy || view.error || view.missing ? "WASI Playground" : "Nothing to run")}</strong>
        {what && (
          <code className="embed-command" data-testid="embed-command" title={what}>
            {what}
          </code>
        )}
        <button type="button" className="primary" data-testid="run" disabled={!canRun} onClick={() => planned?.request && void pg.start(planned.request)}>
          ▶ Run
        </button>
        <button type="button" data-testid="stop" disabled={!pg.run.running} onClick={pg.stop}>
          ■ Stop
        </button>
        <span className="spacer" />
        <a data-testid="open-in-playground" href={withEmbed(location.href, false)} target="_blank" rel="noopener">
          Open in playground ↗
        </a>
      </header>
      <ShareNotices />
      {c?.error && <p className="embed-problem error">{c.error.message}</p>}
      {planned && planned.errors.length > 0 && <p className="embed-problem error">{planned.errors.join("; ")}</p>}
      <div className="embed-console">
        <ConsoleView model={pg.console} version={pg.consoleVersion} />
      </div>
      <div className={`embed-timeline ${timelineOpen ? "open" : ""}`}>
        <TimelinePanel session={pg.trace} open={timelineOpen} onOpenChange={setTimelineOpen} palette={TIMELINE_PALETTES[theme]} />
      </div>
    </div>
  );
}
