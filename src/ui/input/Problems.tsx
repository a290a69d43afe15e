// Bad input, said plainly: which input, which line, what it looked like and what procscope reads.
// The text itself stays in the editor above, untouched and editable.
import type { IngestResult } from '../../model/capture.ts';

const READS = [
  'ps with its header line: aux, -ef, -eLf, -el, axj, alx, -o pid,ppid,stat,wchan:32,args (any -o list), --forest',
  'busybox ps and top; top -b (and -H for threads), several iterations make a timeline',
  'pstree -p / -a / -l',
  '/proc/PID/status, stat, wchan, stack, cmdline (single, bulk `==> … <==`, or `grep -H` output); /proc/loadavg, /proc/stat',
  'dmesg / journalctl -k with "blocked for more than N seconds" hung-task reports or SysRq-w dumps',
  'the bundle printed by collect.sh',
];

const SHOWN = 40;

export function Problems({ ingest, noProcesses, onLine }: { ingest: IngestResult; noProcesses: boolean; onLine(input: string, line: number): void }) {
  const { errors, warnings } = ingest;
  if (errors.length === 0 && warnings.length === 0 && !noProcesses) return null;
  const serious = errors.length > 0 || noProcesses;
  return (
    <section className={`problems${serious ? ' serious' : ''}`} aria-label="Input problems">
      <h2 role={serious ? 'alert' : undefined}>{serious ? 'procscope could not read this input' : `${warnings.length.toLocaleString('en-US')} line${warnings.length === 1 ? '' : 's'} could not be read`}</h2>
      {errors.map((e, i) => (
        <p key={i} className="problem-error"><strong>{e.input}</strong>: {e.message}</p>
      ))}
      {noProcesses && errors.length === 0 && <p className="problem-error">No process listing was found in the input, so there is no process graph to show.</p>}
      {warnings.length > 0 && (
        <ol className="problem-lines">
          {warnings.slice(0, SHOWN).map((w, i) => (
            <li key={i}>
              <button type="button" className="line-ref" title="Show this line in the input" onClick={() => onLine(w.input, w.line)}>
                {w.input}, line {w.line}
              </button>{' '}
              <span>{w.message}</span>
              {w.raw !== undefined && w.raw !== '' && <code className="raw-line">{w.raw}</code>}
            </li>
          ))}
          {warnings.length > SHOWN && <li className="muted">… and {(warnings.length - SHOWN).toLocaleString('en-US')} more</li>}
        </ol>
      )}
      {serious && (
        <div className="expected">
          <p>What procscope expects (the format is recognised from the content; the header line matters):</p>
          <ul>{READS.map((r) => <li key={r}>{r}</li>)}</ul>
          <p className="muted">Your text is kept in the Input box: fix it there and press Re-run.</p>
        </div>
      )}
    </section>
  );
}
