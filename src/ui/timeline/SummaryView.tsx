/** The timeline's summary table: tasks started, peak concurrency, and per task its time blocked. */
import type { TimelineSummary } from "./summary";
import { formatNs } from "./TimeScale";

export function SummaryView({ summary }: { summary: TimelineSummary }) {
  return (
    <aside className="timeline-summary" data-testid="timeline-summary">
      <p>
        <strong>{summary.tasksStarted}</strong> task{summary.tasksStarted === 1 ? "" : "s"} started · max <strong>{summary.maxConcurrentTasks}</strong> at once · max{" "}
        <strong>{summary.maxConcurrentCalls}</strong> calls in flight
      </p>
      <table>
        <thead>
          <tr>
            <th>task</th>
            <th>duration</th>
            <th>blocked</th>
            <th>calls</th>
          </tr>
        </thead>
        <tbody>
          {summary.tasks.map((t) => (
            <tr key={`${t.lane}:${t.task}`}>
              <td title={t.lane}>
                {t.name} #{t.task}
              </td>
              <td>{formatNs(t.durationNs)}</td>
              <td title={t.blockedBy === "waits" ? "time inside waitable-set waits" : "time with a host call or subtask pending (host-boundary traces see no waits)"}>
                {formatNs(t.blockedNs)} {t.blockedBy === "calls" ? "(calls)" : ""}
              </td>
              <td>{t.calls}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </aside>
  );
}
