// The raw text, always kept and editable: nothing pasted is ever lost. Several files are tabs of
// one capture; Re-run analyses what is in the boxes now.
import { forwardRef, useImperativeHandle, useRef, useState } from 'react';
import type { InputFile } from '../hooks/useAnalysis.ts';
import { readFiles } from './readFiles.ts';

export interface InputEditorHandle {
  /** Puts the caret on a 1-based line of a named input and scrolls to it. */
  showLine(input: string, line: number): void;
}

interface Props {
  inputs: InputFile[];
  onChange(inputs: InputFile[]): void;
  onRun(inputs: InputFile[]): void;
  running: boolean;
  big?: boolean;
  /** Bumped by the app when the inputs were replaced from outside (paste, drop, gallery). */
  generation: number;
}

const PLACEHOLDER = `Paste here, or anywhere on the page (Ctrl+V): ps aux, ps -eLf, ps -eo pid,ppid,stat,wchan:32,args,
top -b -n1, pstree -p, /proc/*/status, /proc/*/stack, dmesg hung-task reports, loadavg,
or the bundle printed by collect.sh. Several files at once are parts of one capture.`;

const BIG = 1_500_000;

export const InputEditor = forwardRef<InputEditorHandle, Props>(function InputEditor({ inputs, onChange, onRun, running, big, generation }, ref) {
  const list = inputs.length > 0 ? inputs : [{ name: 'paste', text: '' }];
  const [active, setActive] = useState(0);
  const [version, setVersion] = useState(0);
  // A multi-megabyte text in a textarea costs seconds of layout on every show; big inputs get a
  // preview and the full editable text on request.
  const [openBig, setOpenBig] = useState<string | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const cur = Math.min(active, list.length - 1);

  // The textarea is uncontrolled (a 100k-line paste must not re-render per keystroke);
  // its text is folded back into the list on blur, on tab switch and on Re-run.
  const current = (): InputFile[] => {
    const t = area.current?.value;
    if (t === undefined || t === list[cur].text) return list;
    const next = list.slice();
    next[cur] = { ...list[cur], text: t };
    return next;
  };

  useImperativeHandle(ref, () => ({
    showLine(input, line) {
      const i = list.findIndex((f) => (f.name || 'paste') === input);
      const go = () => {
        const ta = area.current;
        if (!ta) return;
        const text = ta.value;
        let pos = 0;
        for (let n = 1; n < line && pos >= 0; n++) pos = text.indexOf('\n', pos) + 1 || -1;
        if (pos < 0) return;
        const end = text.indexOf('\n', pos);
        ta.focus();
        ta.setSelectionRange(pos, end < 0 ? text.length : end);
        const lh = parseFloat(getComputedStyle(ta).lineHeight) || 16;
        ta.scrollTop = Math.max(0, (line - 3) * lh);
      };
      if (i >= 0 && i !== cur) { onChange(current()); setActive(i); setTimeout(go, 0); } else go();
    },
  }));

  const addFiles = async (files: FileList | null) => {
    if (!files || files.length === 0) return;
    const read = await readFiles(Array.from(files));
    const base = current().filter((f) => f.text.trim() !== '' || f.name !== 'paste');
    onChange([...base, ...read]);
    setActive(base.length);
    setVersion((v) => v + 1);
  };

  const lines = (t: string) => {
    // Counted without splitting: a 100k-line paste must not allocate on every render.
    if (t === '') return 0;
    let n = 1;
    for (let i = t.indexOf('\n'); i >= 0; i = t.indexOf('\n', i + 1)) n++;
    return t.endsWith('\n') ? n - 1 : n;
  };

  return (
    <div className={`input-editor${big ? ' big' : ''}`}>
      <div className="input-tabs" role="tablist" aria-label="Input files">
        {list.map((f, i) => (
          <span key={`${i}:${f.name}`} className={`input-tab${i === cur ? ' active' : ''}`}>
            <button type="button" role="tab" aria-selected={i === cur} onClick={() => { onChange(current()); setActive(i); setVersion((v) => v + 1); }}>
              {f.name || 'paste'} <span className="muted num">{lines(f.text).toLocaleString('en-US')} lines</span>
            </button>
            {list.length > 1 && (
              <button type="button" className="icon" aria-label={`Remove ${f.name}`} title="Remove this file"
                onClick={() => { const next = current().filter((_, j) => j !== i); onChange(next); setActive(0); setVersion((v) => v + 1); }}>×</button>
            )}
          </span>
        ))}
        <span className="spacer" />
        <button type="button" className="btn btn-small" onClick={() => picker.current?.click()}>Add files…</button>
        <input ref={picker} type="file" multiple hidden aria-label="Pick files" onChange={(e) => { void addFiles(e.target.files); e.target.value = ''; }} />
      </div>
      {list[cur].text.length > BIG && openBig !== `${generation}:${cur}:${version}` ? (
        <div className="big-input" aria-label="Input">
          <p>
            <strong>{list[cur].name || 'paste'}</strong>: {(list[cur].text.length / 1e6).toFixed(1)} MB,{' '}
            {lines(list[cur].text).toLocaleString('en-US')} lines, kept here unchanged.
          </p>
          <pre className="big-preview">{list[cur].text.slice(0, 2000)}</pre>
          <button type="button" className="btn btn-small" onClick={() => setOpenBig(`${generation}:${cur}:${version}`)}>Show all of it to edit</button>
        </div>
      ) : <textarea
        key={`${generation}:${cur}:${version}:${list.length}`}
        ref={area}
        aria-label="Input"
        spellCheck={false}
        wrap="off"
        placeholder={PLACEHOLDER}
        defaultValue={list[cur].text}
        onBlur={() => { const next = current(); if (next !== list) onChange(next); }}
        onKeyDown={(e) => {
          if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') { e.preventDefault(); const next = current(); onChange(next); onRun(next); }
        }}
      />}
      <div className="input-actions">
        <button type="button" className="btn btn-primary" disabled={running}
          onClick={() => { const next = current(); onChange(next); onRun(next); }}>
          {running ? 'Analysing…' : inputs.length > 0 ? 'Re-run' : 'Analyse'}
        </button>
        <span className="muted">Ctrl+Enter. Nothing leaves this browser: parsing and diagnosis run here.</span>
      </div>
    </div>
  );
});
