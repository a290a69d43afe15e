// Big inputs WITH problems, for the diagnosis bench and the scale tests: the rows of real
// `ps -eo pid,ppid,stat,wchan:32,lstart,etimes,cmd` captures from samples/ (D readers of a hung FUSE
// mount, zombies under a D parent and under a container init, orphans under init, a fork storm,
// stopped and traced processes) repeated with fresh PIDs. Each copy of a sample keeps its own tree:
// its PIDs are renumbered together and its PPIDs follow, so `27100 → 27101…27108` stays one parent
// with eight D readers per copy. The sample's PID 1 stays PID 1 (one init for the whole input, the
// first sample's), so orphans and container zombies of every copy hang off the same init, as they
// would on a host. The capture's own `ps` row is kept once per sample. Nothing is typed by hand:
// every row is a captured row with only PID and PPID rewritten (fixed width, spacing kept).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The samples whose rows the default mix repeats (each has a ps -eo …wchan… capture). */
export const PROBLEM_SAMPLES = [
  'd-cluster-fuse', 'd-parent-zombies', 'container-init-zombies', 'orphans-under-init', 'fork-storm', 'stopped-and-traced',
] as const;

const HEADER = /^\s*PID\s+PPID\s+STAT\s+WCHAN\s+STARTED\s+ELAPSED\s+CMD\s*$/;

export interface SampleRows {
  sample: string;
  file: string;
  header: string;
  /** The `$ ps -eo …` line before each moment, when the file has them. */
  commands: Array<string | null>;
  /** Data rows of each moment, oldest first. */
  moments: string[][];
}

/** The ps -eo wchan/lstart/etimes capture of a sample, split into moments. */
export function sampleRows(sample: string, root = process.cwd()): SampleRows {
  const dir = path.join(root, 'samples', sample);
  if (!existsSync(dir)) throw new Error(`no sample ${sample} under ${root}/samples`);
  for (const f of readdirSync(dir).filter((n) => n.startsWith('ps-o-wchan') && n.endsWith('.txt')).sort()) {
    const lines = readFileSync(path.join(dir, f), 'utf8').split('\n');
    const moments: string[][] = [];
    const commands: Array<string | null> = [];
    let header = '';
    let pending: string | null = null;
    let cur: string[] | null = null;
    for (const l of lines) {
      if (l.startsWith('$ ')) { pending = l; continue; }
      if (HEADER.test(l)) {
        header = l;
        cur = [];
        moments.push(cur);
        commands.push(pending);
        pending = null;
        continue;
      }
      if (cur && /^\s*\d+\s+\d+\s+\S/.test(l)) cur.push(l);
    }
    if (moments.length > 0) return { sample, file: path.join('samples', sample, f), header, commands, moments };
  }
  throw new Error(`samples/${sample} has no ps -eo pid,ppid,stat,wchan:32,lstart,etimes,cmd capture`);
}

const PID_W = 7; // `    PID    PPID`: procps pads both to 7 columns

/** The row with PID and PPID replaced (right-aligned in their columns; the rest byte for byte). */
function renumber(row: string, pid: number, ppid: number): string {
  const m = /^(\s*)(\d+)(\s+)(\d+)/.exec(row)!;
  const rest = row.slice(m[0].length);
  return String(pid).padStart(PID_W) + String(ppid).padStart(PID_W + 1) + rest;
}

function pidOf(row: string): number { return Number(/^\s*(\d+)/.exec(row)![1]); }
function ppidOf(row: string): number { return Number(/^\s*\d+\s+(\d+)/.exec(row)![1]); }
/** `22 1 R - Thu Nov 26 18:40:03 2026 0 ps -eo pid,ppid,…`: the capture itself. */
function isCaptureRow(row: string): boolean {
  const cmd = /\s\d{4}\s+\d+\s+(.*)$/.exec(row)?.[1] ?? '';
  return /^(?:\S*\/)?(?:ps|top)(?:\s|$)/.test(cmd);
}

export interface ProblemInput {
  /** The text of one input file (`ps-o-wchan.txt`), one or two moments. */
  text: string;
  /** Data rows in the last moment. */
  rows: number;
  /** Rows of the last moment in D, Z, T or t. */
  problemRows: number;
  /** Rows per state letter in the last moment. */
  byState: Record<string, number>;
  /** How many copies of each sample. */
  copies: Record<string, number>;
  from: string[];
}

export interface ProblemOptions {
  /** Samples to repeat, in turn (default PROBLEM_SAMPLES). */
  samples?: readonly string[];
  /** 2: both moments of the samples (every one must have two); default 1 (the last moment). */
  moments?: 1 | 2;
  /** Repository root (default the working directory). */
  root?: string;
  /** Exactly this many copies of each sample (then `rows` is not looked at). */
  copies?: number;
}

/**
 * About `rows` data rows: one copy of each sample in turn, whole copies only, until the last
 * moment has at least `rows` rows (at least one copy of each sample); or `copies` of each.
 */
export function generateProblems(rows: number, opts: ProblemOptions = {}): ProblemInput {
  const names = opts.samples ?? PROBLEM_SAMPLES;
  const nMoments = opts.moments ?? 1;
  const srcs = names.map((n) => sampleRows(n, opts.root));
  for (const s of srcs) {
    if (nMoments === 2 && s.moments.length < 2) throw new Error(`${s.file} has one moment; moments: 2 needs two`);
  }
  // Per sample: the moments used and the union of their PIDs (renumbered together per copy).
  const plan = srcs.map((s) => {
    const ms = s.moments.slice(-nMoments);
    const pids = [...new Set(ms.flat().map(pidOf))].filter((p) => p !== 1).sort((a, b) => a - b);
    return { s, ms, pids };
  });
  const out: string[][] = Array.from({ length: nMoments }, () => []);
  const copies: Record<string, number> = {};
  const init = plan[0].ms.map((m) => m.find((r) => pidOf(r) === 1) ?? null);
  for (let k = 0; k < nMoments; k++) if (init[k]) out[k].push(init[k]!);
  let next = 1000;
  const more = (c: number) => (opts.copies !== undefined ? c < opts.copies * plan.length : out[nMoments - 1].length < rows || c < plan.length);
  for (let c = 0; more(c); c++) {
    const { s, ms, pids } = plan[c % plan.length];
    const first = c < plan.length;
    const fresh = new Map<number, number>();
    for (const p of pids) fresh.set(p, next++);
    for (let k = 0; k < nMoments; k++) {
      for (const r of ms[k]) {
        const pid = pidOf(r);
        if (pid === 1) continue;
        if (!first && isCaptureRow(r)) continue;
        const pp = ppidOf(r);
        out[k].push(renumber(r, fresh.get(pid)!, pp <= 1 ? pp : fresh.get(pp) ?? (fresh.set(pp, next++), fresh.get(pp)!)));
      }
    }
    copies[s.sample] = (copies[s.sample] ?? 0) + 1;
  }
  const header = srcs[0].header;
  const parts: string[] = [];
  for (let k = 0; k < nMoments; k++) {
    const cmd = plan[0].s.commands[plan[0].s.commands.length - nMoments + k];
    if (nMoments > 1 || cmd) parts.push(cmd ?? '$ ps -eo pid,ppid,stat,wchan:32,lstart,etimes,cmd');
    parts.push(header);
    for (const r of out[k]) parts.push(r); // no spread: a million arguments overflow the stack
  }
  const byState: Record<string, number> = {};
  let problemRows = 0;
  for (const r of out[nMoments - 1]) {
    const st = /^\s*\d+\s+\d+\s+(\S)/.exec(r)![1];
    byState[st] = (byState[st] ?? 0) + 1;
    if (st === 'D' || st === 'Z' || st === 'T' || st === 't') problemRows++;
  }
  return { text: parts.join('\n') + '\n', rows: out[nMoments - 1].length, problemRows, byState, copies, from: srcs.map((s) => s.file) };
}
