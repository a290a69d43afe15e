// The table's columns: every column the input had, in ps order. A column appears when some source
// of the snapshot provides its field (Snapshot.sources[].fields), so a `ps -o pid,stat,wchan` paste
// gets exactly those columns and nothing invented.
import type { Process, Snapshot } from '../../model/snapshot.ts';
import { commandOf } from '../lib/filter.ts';
import { duration, kib } from '../lib/provenance.ts';

export interface ColumnSpec {
  id: string;
  header: string;
  /** Row fields that make this column present. Empty = always present. */
  fields: string[];
  value(p: Process): string | number | null | undefined;
  numeric?: boolean;
  width: number;
  /** Present but hidden until asked for. */
  hidden?: boolean;
}

/** Short command name for grouping: comm, else the basename of argv[0] (`/usr/bin/sleep 300` → sleep). */
export function commandName(p: Process): string {
  if (p.comm) return p.comm;
  const a = p.args ?? '';
  const first = a.startsWith('[') ? a : a.split(' ', 1)[0];
  return first.includes('/') && !first.startsWith('[') ? first.slice(first.lastIndexOf('/') + 1) : first;
}

export const CATALOG: ColumnSpec[] = [
  { id: 'pid', header: 'PID', fields: [], value: (p) => p.pid, numeric: true, width: 92 },
  { id: 'ppid', header: 'PPID', fields: ['ppid'], value: (p) => p.ppid, numeric: true, width: 72 },
  { id: 'user', header: 'USER', fields: ['user', 'uid'], value: (p) => p.user ?? (p.uid !== undefined ? String(p.uid) : null), width: 90 },
  { id: 'state', header: 'S', fields: [], value: (p) => p.state, width: 44 },
  { id: 'stat', header: 'STAT', fields: ['stat'], value: (p) => p.stat, width: 58 },
  { id: 'pcpu', header: '%CPU', fields: ['pcpu'], value: (p) => p.pcpu, numeric: true, width: 62 },
  { id: 'pmem', header: '%MEM', fields: ['pmem'], value: (p) => p.pmem, numeric: true, width: 62 },
  { id: 'vsz', header: 'VSZ', fields: ['vszKiB'], value: (p) => p.vszKiB, numeric: true, width: 86 },
  { id: 'rss', header: 'RSS', fields: ['rssKiB'], value: (p) => p.rssKiB, numeric: true, width: 80 },
  { id: 'tty', header: 'TTY', fields: ['tty'], value: (p) => p.tty, width: 64 },
  { id: 'nlwp', header: 'NLWP', fields: ['nlwp'], value: (p) => p.nlwp ?? (p.threads.length || undefined), numeric: true, width: 56 },
  { id: 'threads', header: 'THR', fields: [], value: (p) => p.threads.length || null, numeric: true, width: 52, hidden: true },
  { id: 'psr', header: 'PSR', fields: ['psr'], value: (p) => p.psr, numeric: true, width: 48 },
  { id: 'nice', header: 'NI', fields: ['nice'], value: (p) => p.nice, numeric: true, width: 44 },
  { id: 'pri', header: 'PRI', fields: ['pri'], value: (p) => p.pri, width: 48 },
  { id: 'cls', header: 'CLS', fields: ['cls'], value: (p) => p.cls, width: 48 },
  { id: 'pgid', header: 'PGID', fields: ['pgid'], value: (p) => p.pgid, numeric: true, width: 70 },
  { id: 'sid', header: 'SID', fields: ['sid'], value: (p) => p.sid, numeric: true, width: 70 },
  { id: 'tpgid', header: 'TPGID', fields: ['tpgid'], value: (p) => p.tpgid, numeric: true, width: 70 },
  { id: 'start', header: 'START', fields: ['startRaw', 'startIso'], value: (p) => p.startRaw ?? p.startIso, width: 150 },
  { id: 'etime', header: 'ELAPSED', fields: ['elapsedSec'], value: (p) => p.elapsedSec, numeric: true, width: 84 },
  { id: 'time', header: 'TIME', fields: ['cpuTimeSec'], value: (p) => p.cpuTimeSec, numeric: true, width: 72 },
  { id: 'wchan', header: 'WCHAN', fields: ['wchan'], value: (p) => p.wchan, width: 160 },
  { id: 'tracer', header: 'TRACER', fields: ['tracerPid'], value: (p) => p.tracerPid, numeric: true, width: 66 },
  { id: 'comm', header: 'COMM', fields: ['comm'], value: (p) => commandName(p), width: 130 },
  { id: 'args', header: 'COMMAND', fields: [], value: (p) => commandOf(p), width: 520 },
];

export interface Columns { specs: ColumnSpec[]; extras: string[] }

/** The columns this snapshot has: catalog entries whose fields some source provided, plus raw extras. */
export function columnsFor(snapshot: Snapshot): Columns {
  const fields = new Set<string>();
  for (const s of snapshot.sources) for (const f of s.fields) fields.add(f);
  const specs = CATALOG.filter((c) => c.fields.length === 0 || c.fields.some((f) => fields.has(f)))
    .map((c) => (c.id === 'comm' && !fields.has('comm') ? { ...c, hidden: true } : c));
  // The comm column is always there for grouping by command, hidden when the input had none.
  if (!specs.some((c) => c.id === 'comm')) specs.splice(specs.length - 1, 0, { ...CATALOG.find((c) => c.id === 'comm')!, hidden: true });
  const extras = new Set<string>();
  for (const p of snapshot.processes) if (p.extra) for (const k of Object.keys(p.extra)) extras.add(k);
  return { specs, extras: [...extras].sort() };
}

/**
 * Column filter text: for numbers `>10`, `<=5`, `=0`, `100-200` or a plain number; for text a
 * case-insensitive substring; for the state column the letters to keep (`DZ`), case-sensitive
 * because `t` (traced) is not `T` (stopped).
 */
export function cellMatches(value: unknown, filter: string, kind: 'number' | 'text' | 'state'): boolean {
  const f = filter.trim();
  if (!f) return true;
  if (kind === 'state') return typeof value === 'string' && f.includes(value);
  if (kind === 'number') {
    if (typeof value !== 'number') return false;
    const range = /^(-?\d+(?:\.\d+)?)\s*[-–]\s*(-?\d+(?:\.\d+)?)$/.exec(f);
    if (range) return value >= Number(range[1]) && value <= Number(range[2]);
    const op = /^(>=|<=|>|<|=|!=)?\s*(-?\d+(?:\.\d+)?)$/.exec(f);
    if (!op) return String(value).includes(f);
    const n = Number(op[2]);
    switch (op[1]) {
      case '>': return value > n;
      case '<': return value < n;
      case '>=': return value >= n;
      case '<=': return value <= n;
      case '!=': return value !== n;
      default: return value === n;
    }
  }
  return value !== null && value !== undefined && String(value).toLowerCase().includes(f.toLowerCase());
}

/** Order of states when sorting or grouping by state: the alarming ones first. */
const STATE_RANK: Record<string, number> = { D: 0, Z: 1, R: 2, T: 3, t: 4, X: 5, W: 6, S: 7, I: 8, P: 9 };
export function stateRank(s: unknown): number {
  return typeof s === 'string' && s in STATE_RANK ? STATE_RANK[s] : 10;
}

/** A cell's value as the table prints it: KiB as MiB/GiB, seconds as [d] hh:mm:ss, % to 0.1. */
export function formatCell(id: string, v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (id === 'vsz' || id === 'rss') return kib(v);
    if (id === 'etime' || id === 'time') return duration(v);
    if (id === 'pcpu' || id === 'pmem') return v.toFixed(1);
  }
  return String(v);
}

/**
 * Cell texts of one snapshot, each formatted the first time its row scrolls into view and kept:
 * a row that comes back costs a lookup, not a formatting pass (scrolling 100k rows re-shows
 * the same rows many times). One instance per snapshot and column set.
 */
export class CellTexts {
  private readonly rows = new WeakMap<Process, Map<string, string>>();
  private readonly valueOf: Map<string, (p: Process) => unknown>;

  constructor(cols: Columns) {
    this.valueOf = new Map<string, (p: Process) => unknown>(cols.specs.map((c) => [c.id, c.value]));
    for (const x of cols.extras) this.valueOf.set(`x:${x}`, (p) => p.extra?.[x]);
  }

  get(p: Process, id: string): string {
    let row = this.rows.get(p);
    if (!row) { row = new Map(); this.rows.set(p, row); }
    let t = row.get(id);
    if (t === undefined) {
      const f = this.valueOf.get(id);
      t = f ? formatCell(id, f(p)) : '';
      row.set(id, t);
    }
    return t;
  }
}
