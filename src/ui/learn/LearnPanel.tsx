/**
 * The Learn view (`#/learn`): the lessons with their progress, the current lesson's text, its
 * exercise (WIT and guest.js, editable), Run (build, run, check), and the check's verdict. The
 * timeline below shows the run with the lesson's emphasis. Logic lives in useLearn.ts.
 */
import { useElapsed } from "./useElapsed";
import { starterDraft, type Learn, type LearnStatus } from "./useLearn";
import "./learn.css";

/** Lesson text: paragraphs, with `code` and **bold** kept as such. */
function Prose({ text }: { text: string }) {
  return (
    <>
      {text.split("\n\n").map((para, i) => (
        <p key={i}>
          {para.split(/(`[^`]+`|\*\*[^*]+\*\*)/).map((part, j) =>
            part.startsWith("`") ? <code key={j}>{part.slice(1, -1)}</code> : part.startsWith("**") ? <strong key={j}>{part.slice(2, -2)}</strong> : part,
          )}
        </p>
      ))}
    </>
  );
}

/** The step the run is on, how long it has taken so far, and the build's latest line. */
function Status({ status }: { status: LearnStatus }) {
  const seconds = useElapsed(status.since);
  return (
    <p className="learn-status" data-testid="learn-status">
      <span className="learn-spinner" aria-hidden="true" />
      {status.step}… {seconds > 0 && <span className="learn-elapsed">{seconds} s</span>}
      {status.detail && <span className="learn-detail">{status.detail}</span>}
    </p>
  );
}

export function LearnPanel({ learn }: { learn: Learn }) {
  const { lesson, draft, progress, phase, status, result } = learn;
  const busy = phase !== "idle";
  const solution = { guest: lesson.exercise.solution.guest, wit: lesson.exercise.solution.wit ?? lesson.exercise.wit };
  return (
    <section className="learn" data-testid="learn" aria-label="Learn">
      <nav className="learn-lessons" aria-label="Lessons">
        <p className="learn-count" data-testid="learn-progress">
          {progress.passed.filter((id) => learn.lessons.some((l) => l.id === id)).length} of {learn.lessons.length} done
        </p>
        <ol>
          {learn.lessons.map((l) => (
            <li key={l.id}>
              <button aria-current={l.id === lesson.id ? "step" : undefined} data-testid={`lesson-${l.id}`} onClick={() => learn.select(l.id)}>
                <span aria-label={progress.passed.includes(l.id) ? "done" : "not done"}>{progress.passed.includes(l.id) ? "✓" : "○"}</span> {l.title}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <article className="learn-lesson">
        <h2>{lesson.title}</h2>
        <Prose text={lesson.text} />
        <p className="learn-look">
          <strong>In the timeline:</strong> {lesson.lookFor}
        </p>
        <h3>Exercise</h3>
        <p data-testid="learn-goal">{lesson.exercise.goal}</p>
        <label>
          WIT (wit/world.wit)
          <textarea data-testid="learn-wit" spellCheck={false} rows={Math.min(16, draft.wit.split("\n").length + 1)} value={draft.wit} onChange={(e) => learn.edit({ ...draft, wit: e.target.value })} />
        </label>
        <label>
          guest.js
          <textarea data-testid="learn-guest" spellCheck={false} rows={Math.min(28, draft.guest.split("\n").length + 1)} value={draft.guest} onChange={(e) => learn.edit({ ...draft, guest: e.target.value })} />
        </label>
        <div className="learn-actions">
          <button className="primary" data-testid="learn-run" disabled={busy} onClick={() => void learn.run()}>
            {phase === "building" ? "Building…" : phase === "running" ? "Running…" : phase === "checking" ? "Checking…" : "Build, run and check"}
          </button>
          <button data-testid="learn-reset" disabled={busy} onClick={() => learn.edit(null)}>
            Back to the starter
          </button>
          <button data-testid="learn-solution" disabled={busy} onClick={() => learn.edit(solution)}>
            Show the solution
          </button>
        </div>
        {status && <Status status={status} />}
        <p className={`learn-result ${result ? (result.pass ? "pass" : "fail") : ""}`} data-testid="learn-result" data-pass={result ? String(result.pass) : undefined} role="status" aria-live="polite">
          {result ? `${result.pass ? "✓ Passed" : "✗ Not yet"}: ${result.message}` : busy ? "" : draft.guest === starterDraft(lesson).guest ? "Run the starter to see what the check says, then change it." : ""}
        </p>
      </article>
    </section>
  );
}
