// What a parsed ps table is, beyond its rows: which text column is comm and which is args,
// which rows a terminal width cut, the variant name the CLI prints, and the Row fields it gives.
import type { Row } from '../../model/index.ts';
import { isBoundary } from '../boundaries.ts';
import { type Column, type PsCommand, TEXT_SPECS } from './ps-columns.ts';
import { type Layout, assign, rawCell, tokenize } from './ps-row.ts';

export function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/**
 * COMMAND is comm or args, CMD is args (-f) or comm (-e, -ejH): decide per column, from the
 * echoed command's -o list, the standard format, the column width procps gives a non-last
 * column (comm 15, args 27), and failing those the values: `[kthreadd]` and paths are args; an
 * unbracketed `kworker/0:1`, or a zombie (STAT Z) without `[…]`, is comm. A standard format's
 * args column is checked too, since BSD `c` (`ps auxc`) prints comm under the same header.
 */
export function decideText(L: Layout, lines: readonly string[], firstRow: number, cmd: PsCommand | undefined, standard: { comm?: boolean } | undefined): void {
  const cols = L.cols;
  const open: number[] = [];
  const check: number[] = [];
  for (let k = 0; k < cols.length; k++) {
    const col = cols[k];
    if (col.field !== 'text' || col.text) continue;
    const spec = cmd?.specs && cmd.specs.length === cols.length ? TEXT_SPECS[cmd.specs[k]] : undefined;
    if (spec) col.text = spec;
    else if (standard) {
      col.text = standard.comm || cmd?.bsdComm ? 'comm' : 'args';
      if (col.text === 'args' && !cmd) check.push(k);
    } else if (col.width === 15) col.text = 'comm';
    else if (col.width === 27) col.text = 'args';
    else open.push(k);
  }
  const ask = open.concat(check);
  if (ask.length === 0) return;
  const statCol = cols.findIndex((c) => c.field === 'stat');
  const evidence = ask.map(() => ({ args: 0, comm: 0 }));
  let seen = 0;
  for (let i = firstRow; i < lines.length && seen < 400; i++) {
    const line = lines[i];
    if (isBlank(line) || isBoundary(line)) break;
    const n = tokenize(line, L, 1 << 30);
    if (assign(line, L, n) < cols.length) continue;
    seen++;
    const zombie = statCol >= 0 && line.charCodeAt(L.ts[L.from[statCol]]) === 90 /* Z */;
    ask.forEach((c, k) => {
      let v = rawCell(line, L, c);
      if (v.endsWith(' <defunct>')) v = v.slice(0, -10);
      if (v === '-' || v === '') return;
      const ev = evidence[k];
      const c0 = v.charCodeAt(0);
      if ((c0 === 91 /* [ */ && v.includes(']')) || c0 === 47 /* / */ || v.startsWith('./')) ev.args++;
      else if (v.length > 15 && v.includes(' ')) ev.args++;
      else if (zombie || /^(?:kworker|ksoftirqd|migration|cpuhp|rcu_\w+|kthreadd$)/.test(v)) ev.comm++;
    });
  }
  ask.forEach((c, k) => {
    const ev = evidence[k];
    if (k < open.length) cols[c].text = ev.args > 0 && ev.args >= ev.comm ? 'args' : 'comm';
    else if (ev.args === 0 && ev.comm > 0) cols[c].text = 'comm';
  });
  // `-o comm,args`: two COMMAND columns that look alike are comm then args.
  if (open.length >= 2 && open.every((c) => cols[c].text === cols[open[0]].text)) {
    cols[open[0]].text = 'comm';
    for (const c of open.slice(1)) cols[c].text = 'args';
  }
}

// Terminal widths people paste from; at these two cut commands are enough to be sure.
const COMMON_WIDTHS = new Set([80, 100, 120, 128, 132, 140, 150, 160, 180, 200]);

/**
 * A COMMAND cut at the terminal width (`COLUMNS=80 ps aux`: `/bin/bash ./i`): when the longest
 * lines all end at the same column (≤ 200) and several different commands reach it (three,
 * or two at a usual terminal width — two uncut rows can tie by chance), the rows that reach it
 * are flagged. Returns whether any row was flagged.
 */
export function flagCutCommands(rows: Row[], lengths: number[]): boolean {
  let w = 0;
  for (const n of lengths) if (n > w) w = n;
  if (w < 60 || w > 200) return false;
  // At a usual terminal width two different commands ending there are enough. At any other
  // width it takes more: in samples/orphans-under-init three different commands
  // (`/bin/bash /tmp/s2/case6.sh`, `python3 /opt/app/daemon.py`, `…/worker.py`) are all 26
  // characters long and end at column 93 uncut. A wide terminal on a real host cuts many.
  const common = COMMON_WIDTHS.has(w);
  const seen = new Set<string>();
  let atWidth = 0;
  for (let k = 0; k < rows.length; k++) {
    if (lengths[k] !== w) continue;
    atWidth++;
    if (seen.size < 4) seen.add(rows[k].args ?? '');
  }
  if (common ? seen.size < 2 : seen.size < 4 || atWidth < rows.length / 10) return false;
  for (let k = 0; k < rows.length; k++) if (lengths[k] === w) rows[k].truncated = true;
  return true;
}

export function variantOf(base: string | undefined, m: { forest: boolean; hIndent: boolean; mMode: boolean; threads: boolean; bsdComm: boolean }): string {
  const b = base ?? '-o';
  if (b === '-o') {
    let v = '-o';
    if (m.threads) v = '-L -o';
    if (m.mMode) v = '-m -o';
    if (m.forest) v += ' --forest';
    if (m.hIndent) v += ' -H';
    return v;
  }
  const bsd = !b.startsWith('-');
  let v = b;
  if (m.bsdComm && bsd) v = `${v}c`;
  if (m.forest) v = bsd ? `${v}f` : `${v} --forest`;
  if (m.hIndent) v = bsd ? `${v} H` : `${v}H`;
  if (m.mMode) v = `${v}m`;
  return v;
}

const FIELD_NAMES: Readonly<Record<string, readonly string[]>> = {
  pid: ['pid'], ppid: ['ppid'], pgid: ['pgid'], sid: ['sid'], tpgid: ['tpgid'], tgid: ['tgid'], tid: ['tid'],
  nlwp: ['nlwp'], psr: ['psr'], uid: ['uid', 'user'], user: ['user'], group: ['group'], tty: ['tty'],
  stat: ['stat', 'state'], wchan: ['wchan'], pcpu: ['pcpu'], pmem: ['pmem'], vsz: ['vszKiB'], rss: ['rssKiB'],
  nice: ['nice'], pri: ['pri'], cls: ['cls'], time: ['cpuTimeSec'], elapsed: ['elapsedSec'], start: ['startRaw'],
  extra: ['extra'],
};

export function fieldsOf(cols: Column[], rows: Row[], m: { depth: boolean; truncated: boolean; mMode: boolean }): string[] {
  const out = new Set<string>();
  for (const c of cols) {
    if (c.field === 'text') {
      out.add(c.text ?? 'args');
      if (c.text !== 'comm') out.add('kthread');
      if (c.text === 'args' && c.width !== undefined) out.add('truncated');
    } else for (const f of FIELD_NAMES[c.field]) out.add(f);
    if (c.shape === 'started' && rows.some((r) => r.startIso !== undefined)) out.add('startIso');
  }
  if (m.mMode) out.add('tid');
  if (m.depth) out.add('depth');
  if (m.truncated) out.add('truncated');
  return [...out];
}
