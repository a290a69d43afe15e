// The collector bundle's own facts (public/collect.sh): the sections no other format owns.
//   ===== procscope meta =====      key=value lines (host, time, kernel, nproc, pid_max, ...)
//   ===== procscope mounts =====    /proc/mounts as it was              → meta.notes.mounts
//   ===== procscope errors =====    what the collector could not read   → meta.notes.errors
// Any other section name this version does not know is kept whole in meta.notes[name], so a
// newer collector's extra section is carried, not reported as an unknown format.
import type { Meta } from '../../model/index.ts';
import { isBoundary } from '../boundaries.ts';
import type { FormatParser, ParseContext, ParseResult } from '../types.ts';

/** Sections another parser reads (see public/collect.sh). */
const OTHERS = new Set(['loadavg', 'stat', 'procstat', 'ps', 'threads', 'status', 'stacks', 'stack', 'wchan', 'cmdline', 'dmesg', 'kernel']);
const KEY_VALUE = /^([A-Za-z][\w.-]*)=(.*)$/;

export const bundleMeta: FormatParser = {
  format: 'bundle-meta',

  sniff(lines, start, hint) {
    const s = hint.bundleSection;
    if (s === 'meta' || s === 'mounts' || s === 'errors') return 1;
    if (s !== undefined && !OTHERS.has(s)) return 0.3;
    // A pasted meta section without its marker: `host=` … `collector=procscope-collect 1`.
    if (s === undefined && /^host=\S/.test(lines[start])) {
      for (let i = start; i < Math.min(lines.length, start + 20); i++) {
        if (/^collector=procscope/.test(lines[i])) return 0.8;
      }
    }
    return 0;
  },

  parse(lines, start, ctx) {
    const section = ctx.hint.bundleSection ?? 'meta';
    return section === 'meta' ? parseMeta(lines, start, ctx) : parseText(lines, start, section);
  },
};

function sectionEnd(lines: readonly string[], start: number): number {
  let i = start + 1;
  while (i < lines.length && !isBoundary(lines[i])) i++;
  return i;
}

function lastNonBlank(lines: readonly string[], start: number, end: number): number {
  let last = end - 1;
  while (last > start && lines[last].trim() === '') last--;
  return last;
}

function parseText(lines: readonly string[], start: number, section: string): ParseResult {
  const end = sectionEnd(lines, start);
  const last = lastNonBlank(lines, start, end);
  const meta: Meta = { notes: { [section]: lines.slice(start, last + 1).join('\n') } };
  return {
    captures: [{ format: 'bundle-meta', variant: section, firstLine: start + 1, lastLine: last + 1, fields: [], meta }],
    end: last + 1,
  };
}

const int = (v: string): number | undefined => (/^\d+$/.test(v) ? Number(v) : undefined);

function parseMeta(lines: readonly string[], start: number, ctx: ParseContext): ParseResult {
  const end = sectionEnd(lines, start);
  const meta: Meta = {};
  const notes: Record<string, string> = {};
  for (let i = start; i < end; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = KEY_VALUE.exec(line);
    if (!m) { ctx.warn(i, 'not a key=value line of the bundle meta section'); continue; }
    const key = m[1];
    const v = m[2].trim();
    let n: number | undefined;
    switch (key) {
      case 'host': meta.host = v; break;
      case 'time': meta.takenAt = v; break;
      case 'kernel': meta.kernel = v; break;
      case 'uname': meta.uname = v; break;
      case 'nproc': if ((n = int(v)) !== undefined) meta.nCpu = n; break;
      case 'pid_max': if ((n = int(v)) !== undefined) meta.pidMax = n; break;
      case 'threads-max': case 'threads_max': if ((n = int(v)) !== undefined) meta.threadsMax = n; break;
      case 'pids_max': if ((n = int(v)) !== undefined) meta.pidsLimit = n; break;
      case 'uptime': {
        // /proc/uptime's first field: `6721.44`.
        const u = Number(v);
        if (v !== '' && Number.isFinite(u)) meta.uptimeSec = u;
        else notes.uptime = v;
        break;
      }
      default: notes[key] = v; break;
    }
    if (n === undefined && ['nproc', 'pid_max', 'threads-max', 'threads_max', 'pids_max'].includes(key)) {
      notes[key] = v;
      if (v !== '') ctx.warn(i, `${key} is not a number`);
    }
  }
  if (Object.keys(notes).length > 0) meta.notes = notes;
  const last = lastNonBlank(lines, start, end);
  return {
    captures: [{ format: 'bundle-meta', variant: 'meta', firstLine: start + 1, lastLine: last + 1, fields: [], meta }],
    end: last + 1,
  };
}
