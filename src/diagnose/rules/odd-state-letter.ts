// P20 X / W / odd letters — LOW, a data-quality note. `X` (dead) means the capture raced with an
// exit; `W` as the FIRST letter is paging (<2.6), Waking (2.6.33–3.13) or a column misalignment; a
// letter outside ps(1)'s list (`K`, `x`, …) is an old kernel or a parse slip.
// Not odd: BusyBox appends W as the SECOND letter when VSZ is 0 — kernel threads print `SW`, `IW<`,
// `SWN` (libbb/procps.c: `if (sp->vsz == 0 && sp->state[0] != 'Z') sp->state[1] = 'W'`) — and
// `P` (parked kthreads), `I` (idle kthreads, 4.14+).
import type { Evidence, Snapshot } from '../../model/index.ts';
import type { FindingDraft, Rule } from '../types.ts';
import type { Process } from '../../model/index.ts';
import { CAPTURE, captureSet, citeTask, hasStates, tasksOfProcess, taskLabel, type Task } from '../facts.ts';

const KNOWN = new Set(['D', 'R', 'S', 'T', 't', 'Z', 'I', 'P']);

type Kind = 'dead' | 'paging' | 'unknown';

/** Whether a STAT or state may start with a letter outside KNOWN (no string built: it runs per row). */
function mayBeOdd(x: string | null | undefined): boolean {
  if (!x) return false;
  let i = 0;
  while (i < x.length && (x.charCodeAt(i) === 32 || x.charCodeAt(i) === 9)) i++;
  return i < x.length && !KNOWN.has(x[i]);
}

/** A process whose tasks may have an odd first letter: any STAT or state of its row or its threads may. */
function mayHaveOdd(p: Process): boolean {
  if (mayBeOdd(p.stat) || mayBeOdd(p.state)) return true;
  for (const t of p.threads) if (mayBeOdd(t.stat) || mayBeOdd(t.state)) return true;
  return false;
}

/** The letter the input printed first for this task (raw STAT when kept, else the state). */
function firstLetter(t: Task): string {
  const raw = (t.stat ?? '').trim();
  if (raw !== '' && raw !== '-' && raw !== '?') return raw.charAt(0);
  return t.state ?? '';
}

function kindOf(t: Task): Kind | null {
  const c = firstLetter(t);
  if (c === '' || KNOWN.has(c)) return null;
  if (c === 'X' || c === 'x') return 'dead';
  if (c === 'W') return 'paging';
  // Anything else that is a letter is not one ps(1) documents; digits or punctuation mean the
  // STAT column was read from the wrong place.
  return 'unknown';
}

export const rule: Rule = {
  id: 'odd-state-letter',
  pattern: 'P20',
  catches: 'state letters that should not appear (X dead, W as first letter, undocumented letters): the capture raced with exits or was misread',
  needsText: 'process states (any ps STAT, top S, /proc/PID/status State)',
  missing(ctx) {
    return hasStates(ctx.current) ? null : CAPTURE.states;
  },
  evaluate(ctx) {
    const s = ctx.current;
    const cap = captureSet(s);
    const byKind = new Map<Kind, Task[]>();
    // Tasks only for the processes that may have an odd letter: a Task for each of a million
    // ordinary rows would cost more than everything else this rule does.
    for (const p of s.processes) {
      if (!mayHaveOdd(p) || cap.has(p.pid)) continue;
      for (const t of tasksOfProcess(s, p.pid)) {
        const k = kindOf(t);
        if (!k) continue;
        const l = byKind.get(k);
        if (l) l.push(t); else byKind.set(k, [t]);
      }
    }
    const out: FindingDraft[] = [];
    for (const [k, tasks] of byKind) out.push(finding(s, k, tasks));
    return out;
  },
};

function finding(s: Snapshot, kind: Kind, tasks: Task[]): FindingDraft {
  const pids = [...new Set(tasks.map((t) => t.pid))];
  const letters = [...new Set(tasks.map(firstLetter))].join(', ');
  const evidence: Evidence[] = tasks.slice(0, 10).map((t) => citeTask(s, t, `${taskLabel(t)} STAT ${t.stat ?? t.state ?? '?'}${t.proc.args ? `: ${t.proc.args.slice(0, 80)}` : ''}`, 'stat'));
  if (tasks.length > 10) evidence.push({ text: `… and ${tasks.length - 10} more` });
  const kernel = s.meta.kernel ?? s.meta.uname;
  if (kernel) evidence.push({ text: `kernel: ${kernel}` });
  const what = kind === 'dead'
    ? { title: `${tasks.length === 1 ? taskLabel(tasks[0]) : `${tasks.length} tasks`} in state X (dead) — the capture raced with an exit`,
        summary: 'X should never be seen: the task was exiting while ps read it. Nothing is wrong with the host; re-capture if that process matters.' }
    : kind === 'paging'
      ? { title: `${tasks.length === 1 ? taskLabel(tasks[0]) : `${tasks.length} tasks`} with W as the state letter — paging (<2.6), Waking (2.6.33–3.13) or a misread column`,
          summary: 'W as the first STAT letter is paging on kernels before 2.6 and Waking on 2.6.33–3.13; on any other kernel the column was misread. (BusyBox\'s W as the second letter, `SW`, only means VSZ 0 and is not reported.)' }
      : { title: `Undocumented state letter ${letters} on ${tasks.length === 1 ? taskLabel(tasks[0]) : `${tasks.length} tasks`} — an old kernel or a misread STAT column`,
          summary: 'ps(1) documents D R S T t W X Z I (and /proc adds P). Other letters come from historical kernels (x, K) or from reading the wrong column; treat these rows\' states as unknown.' };
  return {
    severity: 'low',
    title: what.title,
    pids,
    summary: what.summary,
    evidence,
    next: [
      'uname -r; ps --version   # record the kernel and the ps flavour with the capture',
      ...pids.slice(0, 3).map((p) => `cat /proc/${p}/stat   # the state is the first field after the last ')'`),
      'ps -eo pid,ppid,stat,wchan:32,args   # re-capture',
    ],
    rootCause: `data-quality:${kind}`,
    explains: tasks.length,
  };
}
