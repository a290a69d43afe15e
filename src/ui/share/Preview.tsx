// Exactly what will be shared: the redacted inputs, changed spans marked. Text nodes and <mark>
// elements only (never innerHTML): the inputs are untrusted.
import { memo, type ReactNode } from 'react';
import type { RedactChange } from '../../share/redact.ts';
import { PREVIEW_HEAD_LINES, type PreviewInput, type PreviewLine } from './prepare.ts';

function MarkedLine({ text, spans }: { text: string; spans: readonly RedactChange[] }) {
  if (spans.length === 0) return <>{text}</>;
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

function Lines({ lines, label }: { lines: readonly PreviewLine[]; label?: string }) {
  return (
    <pre className="share-lines" aria-label={label}>
      {lines.map((l) => (
        <div key={l.line} className="share-line">
          <span className="share-ln">{l.line}</span>
          <MarkedLine text={l.text} spans={l.spans} />
        </div>
      ))}
    </pre>
  );
}

export const Preview = memo(function Preview({ inputs, unlisted }: { inputs: readonly PreviewInput[]; unlisted: number }) {
  return (
    <div className="share-preview">
      {inputs.map((v, i) => (
        <section key={i} className="share-input" aria-label={`Preview of ${v.name}`}>
          <h3 className="share-input-name">{v.name} <span className="share-muted">{v.lineCount.toLocaleString('en')} lines · {v.changedLines} changed</span></h3>
          {v.changed.length > 0 && <Lines lines={v.changed} label={`Changed lines of ${v.name}`} />}
          <details className="share-full">
            <summary>Everything that will be shared from {v.name}{v.lineCount > PREVIEW_HEAD_LINES ? ` (first ${PREVIEW_HEAD_LINES.toLocaleString('en')} lines shown)` : ''}</summary>
            <Lines lines={v.head} />
          </details>
        </section>
      ))}
      {unlisted > 0 && <p className="share-muted">…and {unlisted.toLocaleString('en')} more changed lines, not listed here (all of them are redacted).</p>}
    </div>
  );
});
