// /proc/stat (proc_stat(5)), the system-wide one:
//   cpu  2255 34 2290 22625563 6290 127 456 0 0 0
//   cpu0 1132 34 1441 11311718 3675 127 438 0 0 0     one line per online CPU → nCpu
//   intr 114930548 113199788 3 0 5 263 ...
//   ctxt 1990473                                       context switches since boot
//   btime 1062191376                                   boot time, epoch seconds
//   processes 2915                                     forks since boot
//   procs_running 1
//   procs_blocked 0                                    tasks in *I/O* wait, not every D task
// Also accepted: a grep of some of these lines (`grep procs_ /proc/stat`).
import type { Meta } from '../../model/index.ts';
import { isBoundary } from '../boundaries.ts';
import type { FormatParser, ParseContext, ParseResult } from '../types.ts';

const KEY_LINE = /^(cpu\d*|intr|ctxt|btime|processes|procs_running|procs_blocked|softirq|page|swap|disk_io)(?:\s+(.*))?$/;
const CPU_TOTAL = /^cpu\s+\d+\s+\d+\s+\d+\s+\d+/;
const SCALAR = /^(?:ctxt|btime|processes|procs_running|procs_blocked)\s+\d+\s*$/;

export const procStatGlobal: FormatParser = {
  format: 'proc-stat-global',

  sniff(lines, start, hint) {
    if (hint.bundleSection === 'stat') return 1;
    const line = lines[start];
    if (CPU_TOTAL.test(line)) return 0.95;
    if (SCALAR.test(line)) {
      // Two of these in a row are /proc/stat; one alone could be anything.
      return SCALAR.test(lines[start + 1] ?? '') || /\/proc\/stat\b/.test(hint.command ?? '') ? 0.9 : 0;
    }
    return 0;
  },

  parse(lines, start, ctx) {
    return parseGlobal(lines, start, ctx);
  },
};

function parseGlobal(lines: readonly string[], start: number, ctx: ParseContext): ParseResult {
  const meta: Meta = {};
  const notes: Record<string, string> = {};
  let nCpu = 0;
  let last = start;
  for (let i = start; i < lines.length; i++) {
    const line = lines[i];
    if (i > start && isBoundary(line)) break;
    if (line.trim() === '') continue;
    const m = KEY_LINE.exec(line.trimEnd());
    if (!m) {
      // Inside the bundle's `stat` section every line is /proc/stat; elsewhere the section ends.
      if (ctx.hint.bundleSection !== 'stat' && i > start) break;
      ctx.warn(i, 'not a /proc/stat line');
      last = i;
      continue;
    }
    last = i;
    const key = m[1];
    const value = (m[2] ?? '').trim();
    const n = Number(value.split(/\s+/, 1)[0]);
    if (key.startsWith('cpu')) {
      if (key !== 'cpu') nCpu++;
      else notes['stat.cpu'] = value; // jiffies since boot: user nice system idle iowait irq softirq steal ...
      continue;
    }
    if (!Number.isFinite(n) || value === '') { ctx.warn(i, `${key} without a number`); continue; }
    switch (key) {
      case 'procs_running': meta.procsRunning = n; break;
      case 'procs_blocked': meta.procsBlocked = n; break;
      case 'processes': meta.forks = n; break;
      case 'btime': meta.btime = n; break;
      case 'ctxt': notes['stat.ctxt'] = String(n); break;
      default: break; // intr, softirq, page, swap: nothing a rule reads
    }
  }
  if (nCpu > 0) meta.nCpu = nCpu;
  if (Object.keys(notes).length > 0) meta.notes = notes;
  return {
    captures: [{ format: 'proc-stat-global', variant: 'proc-stat', firstLine: start + 1, lastLine: last + 1, fields: [], meta }],
    end: last + 1,
  };
}
