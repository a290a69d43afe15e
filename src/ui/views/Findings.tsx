// Findings, most severe first: what is wrong, the proof, and what to run next. Every PID is a
// button that selects that process in the tree, the table and the details panel.
import { Fragment, type ReactNode } from 'react';
import type { Finding } from '../../model/analysis.ts';
import { CopyButton } from '../components/CopyButton.tsx';
import { Pid } from '../components/Pid.tsx';
import { useData } from '../context.ts';
import { splitPids } from '../lib/pidText.ts';

const SEV_ORDER = ['critical', 'high', 'medium', 'low', 'info'];

/** Turns PIDs the finding is about into buttons inside its text; everything else stays text. */
function linkPids(text: string, pids: ReadonlySet<number>, snap: number): ReactNode {
  const parts = splitPids(text, pids);
  if (parts.length === 1 && typeof parts[0] === 'string') return text;
  return parts.map((p, i) => (typeof p === 'string' ? <Fragment key={i}>{p}</Fragment> : <Pid key={i} pid={p.pid} snap={snap} />));
}

export function FindingCard({ f, multiSnap }: { f: Finding; multiSnap: boolean }) {
  const { analysis } = useData();
  const pids = new Set(f.pids);
  for (const e of f.evidence) if (e.pid !== undefined) pids.add(e.pid);
  const shownPids = f.pids.slice(0, 24);
  return (
    <article className={`finding sev-${f.severity}`} aria-label={`${f.severity}: ${f.title}`} tabIndex={-1}
      data-first-pid={f.pids[0]} data-snapshot={f.snapshot}>
      <header>
        <span className={`sev sev-${f.severity}`}>{f.severity}</span>
        <h3>{linkPids(f.title, pids, f.snapshot)}</h3>
        <span className="rule-chip" title="rule id">{f.rule}</span>
        <CopyButton label="Copy as Markdown" className="copy-md" title="Copy as Markdown"
          getText={async () => {
            // Loaded on the first copy: the report code is not part of the first page load.
            const { findingMarkdown } = await import('../../report/markdown.ts');
            return findingMarkdown(f, analysis.snapshots[f.snapshot], { standalone: true }).join('\n');
          }} />
      </header>
      <p className="summary">{linkPids(f.summary, pids, f.snapshot)}</p>
      {(shownPids.length > 0 || multiSnap) && (
        <p className="finding-pids">
          {multiSnap && <span className="muted">{analysis.snapshots[f.snapshot]?.label ?? `snapshot ${f.snapshot + 1}`} ·&nbsp;</span>}
          {shownPids.length > 0 && <span className="muted">PIDs </span>}
          {shownPids.map((p) => <Pid key={p} pid={p} snap={f.snapshot} />)}
          {f.pids.length > shownPids.length && <span className="muted"> +{f.pids.length - shownPids.length} more</span>}
          {f.rootCause && <span className="muted"> · root cause {f.rootCause}</span>}
        </p>
      )}
      {f.evidence.length > 0 && (
        <details className="evidence" open={f.evidence.length <= 6}>
          <summary>Evidence ({f.evidence.length})</summary>
          <ul>
            {f.evidence.map((e, i) => (
              <li key={i}>
                <span className="evidence-text">{linkPids(e.text, pids, f.snapshot)}</span>
                {e.input && <span className="muted src-ref"> {e.input}{e.line ? `:${e.line}` : ''}</span>}
              </li>
            ))}
          </ul>
        </details>
      )}
      {f.next.length > 0 && (
        <div className="next">
          <h4>Next</h4>
          <ul>
            {f.next.map((cmd, i) => (
              <li key={i}><code>{cmd}</code><CopyButton text={cmd} title={`Copy: ${cmd}`} /></li>
            ))}
          </ul>
        </div>
      )}
    </article>
  );
}

export function FindingsList() {
  const { analysis } = useData();
  const findings = [...analysis.findings].sort((a, b) => SEV_ORDER.indexOf(a.severity) - SEV_ORDER.indexOf(b.severity) || b.explains - a.explains);
  const multiSnap = analysis.snapshots.length > 1;
  const bySev = new Map<string, number>();
  for (const f of findings) bySev.set(f.severity, (bySev.get(f.severity) ?? 0) + 1);
  return (
    <section className="findings" aria-label="Findings" data-ready="true">
      <div className="section-head">
        <h2>Findings</h2>
        <span className="muted">
          {findings.length === 0 ? 'nothing wrong found' : SEV_ORDER.filter((s) => bySev.has(s)).map((s) => `${bySev.get(s)} ${s}`).join(' · ')}
        </span>
      </div>
      {findings.length === 0 && (
        <p className="empty">No rule fired on this snapshot.{analysis.notEvaluated.length > 0 ? ` ${analysis.notEvaluated.length} rules could not run on this input (below).` : ''}</p>
      )}
      {findings.map((f, i) => <FindingCard key={`${f.rule}:${i}`} f={f} multiSnap={multiSnap} />)}
      {analysis.notEvaluated.length > 0 && (
        <details className="not-evaluated">
          <summary>Not evaluated ({analysis.notEvaluated.length}): these rules need input this capture does not have</summary>
          <ul>
            {analysis.notEvaluated.map((n) => (
              <li key={n.rule}><span className="rule-chip">{n.rule}</span> <span>{n.missing}</span></li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
