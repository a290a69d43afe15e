// Which input line a field of a process came from. Process.src lists every row that joined into
// the process, in the join's priority order, so the first source that provides a field is the one
// whose value won.
import type { Process, Snapshot, SourceRef } from '../../model/snapshot.ts';

export function fieldSource(snapshot: Snapshot, p: Process, field: string): SourceRef | undefined {
  for (const ref of p.src) {
    const info = snapshot.sources[ref.s];
    if (info && info.fields.includes(field)) return ref;
  }
  return undefined;
}

export function refLabel(snapshot: Snapshot, ref: SourceRef): string {
  const info = snapshot.sources[ref.s];
  return `${info ? info.input : '?'}:${ref.line}`;
}

/** Lines of each input, split once and kept: line N of the text is what the ingest called line N. */
export class InputLines {
  private cache = new Map<string, string[]>();
  constructor(private readonly inputs: ReadonlyArray<{ name: string; text: string }>) {}

  line(input: string, line: number): string | undefined {
    let lines = this.cache.get(input);
    if (!lines) {
      const found = this.inputs.find((i) => (i.name || 'paste') === input);
      if (!found) return undefined;
      // Same split as src/ingest/cleanup.ts, so numbering matches (CRLF, lone CR).
      lines = found.text.split(/\r?\n|\r/);
      this.cache.set(input, lines);
    }
    return lines[line - 1];
  }
}

/** The fields the details panel lists, in reading order, with how to show each value. */
export const DETAIL_FIELDS: ReadonlyArray<{ key: string; label: string; fmt?: (v: unknown) => string }> = [
  { key: 'ppid', label: 'PPID' },
  { key: 'stat', label: 'STAT' },
  { key: 'state', label: 'State' },
  { key: 'user', label: 'User' },
  { key: 'uid', label: 'UID' },
  { key: 'group', label: 'Group' },
  { key: 'comm', label: 'comm' },
  { key: 'args', label: 'Command' },
  { key: 'wchan', label: 'wchan' },
  { key: 'pcpu', label: '%CPU' },
  { key: 'pmem', label: '%MEM' },
  { key: 'vszKiB', label: 'VSZ', fmt: (v) => kib(v as number) },
  { key: 'rssKiB', label: 'RSS', fmt: (v) => kib(v as number) },
  { key: 'shrKiB', label: 'SHR', fmt: (v) => kib(v as number) },
  { key: 'nlwp', label: 'Threads (NLWP)' },
  { key: 'tty', label: 'TTY' },
  { key: 'pgid', label: 'PGID' },
  { key: 'sid', label: 'SID' },
  { key: 'tpgid', label: 'TPGID' },
  { key: 'tgid', label: 'TGID' },
  { key: 'psr', label: 'PSR' },
  { key: 'nice', label: 'NI' },
  { key: 'pri', label: 'PRI' },
  { key: 'cls', label: 'CLS' },
  { key: 'cpuTimeSec', label: 'CPU time', fmt: (v) => duration(v as number) },
  { key: 'elapsedSec', label: 'Age', fmt: (v) => duration(v as number) },
  { key: 'startRaw', label: 'Started' },
  { key: 'startIso', label: 'Started (ISO)' },
  { key: 'startTicks', label: 'Start (ticks)' },
  { key: 'tracerPid', label: 'TracerPid' },
  { key: 'ctxtVoluntary', label: 'voluntary ctxt switches' },
  { key: 'ctxtNonvoluntary', label: 'involuntary ctxt switches' },
  { key: 'nspid', label: 'NSpid', fmt: (v) => (v as number[]).join(' ') },
  { key: 'hostPid', label: 'Host PID' },
  { key: 'kthread', label: 'Kthread', fmt: (v) => (v ? 'yes' : 'no') },
  { key: 'truncated', label: 'Command cut', fmt: (v) => (v ? 'possibly truncated at terminal width' : 'no') },
];

export function kib(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v >= 1024 * 1024) return `${(v / 1024 / 1024).toFixed(1)} GiB`;
  if (v >= 1024) return `${(v / 1024).toFixed(1)} MiB`;
  return `${v} KiB`;
}

export function duration(sec: number): string {
  if (!Number.isFinite(sec)) return String(sec);
  const d = Math.floor(sec / 86400);
  const h = Math.floor((sec % 86400) / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const s = Math.floor(sec % 60);
  const hms = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return d > 0 ? `${d}d ${hms}` : hms;
}

export function fmtInt(n: number): string {
  return n.toLocaleString('en-US');
}
