// Exactly what will be shared: the redacted inputs, changed spans marked. Text nodes and <mark>
// elements only (never innerHTML): the inputs are untrusted.
import { memo, useMemo, type ReactNode } from 'react';
import type { RedactChange, RedactInput } from '../../share/redact.ts';

const MAX_CHANGED_LINES = 400;
const MAX_FULL_LINES = 2000;

function MarkedLine({ text, spans }: { text: string; spans: readonly RedactChange[] | undefined }) {
  if (!spans || spans.length === 0) return <>{text}</>;
  const parts: ReactNode[] = [];
  let pos = 0;
  spans.forEach((c, i) => {
    if (c.start > pos) parts.push(text.slice(pos, c.start));
    parts.push(<mark key={i} className={`share-mark share-mark-${c.category}`} title={`${c.category}: ${c.kind}`}>{text.slice(c.start, c.end)}</mark>);
    pos = c.end;
  });
  if (pos < text.length) parts.push(text.slice(pos));
  return <>{parts}</>;
}

interface InputView {
  name: string;
  lines: string[];
  byLine: Map<number, RedactChange[]>;
}

export const Preview = memo(function Preview({ inputs, changes }: { inputs: readonly RedactInput[]; changes: readonly RedactChange[] }) {
  const views: InputView[] = useMemo(() => inputs.map((input, i) => {
    const byLine = new Map<number, RedactChange[]>();
    for (const c of changes) {
      if (c.inputIndex !== i) continue;
      const l = byLine.get(c.line);
      if (l) l.push(c); else byLine.set(c.line, [c]);
    }
    return { name: input.name || 'paste', lines: input.text.split('\n'), byLine };
  }), [inputs, changes]);

  let shown = 0;
  return (
    <div className="share-preview">
      {views.map((v, i) => {
        const changed = [...v.byLine.keys()].sort((a, b) => a - b);
        return (
          <section key={i} className="share-input" aria-label={`Preview of ${v.name}`}>
            <h3 className="share-input-name">{v.name} <span className="share-muted">{v.lines.length.toLocaleString('en')} lines · {changed.length} changed</span></h3>
            {changed.length > 0 && (
              <pre className="share-lines" aria-label={`Changed lines of ${v.name}`}>
                {changed.map((ln) => {
                  if (shown >= MAX_CHANGED_LINES) return null;
                  shown++;
                  return (
                    <div key={ln} className="share-line">
                      <span className="share-ln">{ln}</span>
                      <MarkedLine text={v.lines[ln - 1] ?? ''} spans={v.byLine.get(ln)} />
                    </div>
                  );
                })}
              </pre>
            )}
            <details className="share-full">
              <summary>Everything that will be shared from {v.name}{v.lines.length > MAX_FULL_LINES ? ` (first ${MAX_FULL_LINES.toLocaleString('en')} lines shown)` : ''}</summary>
              <pre className="share-lines">
                {v.lines.slice(0, MAX_FULL_LINES).map((line, k) => (
                  <div key={k} className="share-line">
                    <span className="share-ln">{k + 1}</span>
                    <MarkedLine text={line} spans={v.byLine.get(k + 1)} />
                  </div>
                ))}
              </pre>
            </details>
          </section>
        );
      })}
      {shown >= MAX_CHANGED_LINES && <p className="share-muted">…and more changed lines, not listed here (all of them are redacted).</p>}
    </div>
  );
});
