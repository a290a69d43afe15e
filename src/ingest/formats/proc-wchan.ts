// /proc/PID/wchan: the kernel function a task sleeps in (`percpu_rwsem_wait`), or `0` when it is
// running. The file has NO trailing newline, so `cat /proc/*/wchan` runs values together and
// only these shapes carry one value per PID:
//   grep -H . /proc/[0-9]*/wchan                               /proc/1/wchan:__do_sys_pause
//   for p in /proc/[0-9]*; do echo "$p $(cat $p/wchan)"; done  /proc/1 __do_sys_pause
//   head /proc/*/wchan                                         ==> /proc/1/wchan <== + value
//   task files                                                 /proc/5/task/7/wchan:futex_wait_queue
// A bare word (one file) is read only when the file name (`wchan`, `/proc/123/wchan`) or the
// bundle section says what it is.
import type { Row } from '../../model/index.ts';
import { isBoundary } from '../boundaries.ts';
import type { FormatParser, Hint, ParseContext, ParseResult } from '../types.ts';
import {
  errorLineFile, headerPath, hintNames, isDenied, isSelfLine, isForeignHeadHeader, isVanished, pidFromHint, procPath, rowIds,
  splitPrefixed, type ProcPath,
} from './proc-path.ts';

// `do_select`, `poll_schedule_timeout.constprop.0`, `0`.
const SYMBOL = /^(?:0|[A-Za-z_][\w.$]*)$/;
// `/proc/1 __do_sys_pause`, `/proc/5/task/7/wchan 0`, `/proc/9 ` (empty: not readable).
const ECHO_LINE = /^(\S*proc\/\d+(?:\/task\/\d+)?)(?:\/wchan)?:?[ \t]+(\S*)[ \t]*$|^(\S*proc\/\d+(?:\/task\/\d+)?)(?:\/wchan)?[ \t]*$/;

export const procWchan: FormatParser = {
  format: 'proc-wchan',

  sniff(lines, start, hint) {
    const line = lines[start];
    if (hint.bundleSection === 'wchan') return 1;
    if (errorLineFile(line) === 'wchan') return 0.8;
    if (line.startsWith('==> ')) {
      if (headerPath(line)?.file !== 'wchan') return 0;
      return SYMBOL.test((lines[start + 1] ?? '').trim()) ? 0.95 : 0;
    }
    if (line.includes('proc/')) {
      const pre = splitPrefixed(line, 'wchan');
      if (pre) return SYMBOL.test(pre.rest.trim()) ? 0.95 : 0.5;
      if (hint.command && /cmdline|status|\/stat\b|stack/.test(hint.command)) return 0;
      // The echo loop: every line of the run holds one symbol (cmdline loops hold argv).
      let ok = 0;
      for (let i = start; i < Math.min(lines.length, start + 20); i++) {
        const m = ECHO_LINE.exec(lines[i]);
        if (!m) break;
        if (m[2] !== undefined && m[2] !== '' && !SYMBOL.test(m[2])) return 0;
        ok++;
      }
      if (ok === 0) return 0;
      return hintNames(hint, 'wchan') ? 0.95 : 0.8;
    }
    const t = line.trim();
    if (SYMBOL.test(t) && hintNames(hint, 'wchan')) return 0.95;
    if (/^[\w.$]+$/.test(t) && hintNames(hint, 'wchan')) return 0.6; // run together: parse explains
    return 0;
  },

  parse(lines, start, ctx) {
    return parseWchan(lines, start, ctx);
  },
};

function parseWchan(lines: readonly string[], start: number, ctx: ParseContext): ParseResult {
  const rows: Row[] = [];
  let variant = 'single';
  let pending: { path?: ProcPath; line: number } | undefined; // a `==>` header awaiting its value
  let last = start;
  let i = start;
  const add = (path: ProcPath, value: string, lineIndex: number) => {
    const v = value.trim();
    if (path.pid < 0) return; // /proc/self: the reading command itself
    if (v === '') return; // `/proc/9 `: unreadable or exited; nothing known
    if (!SYMBOL.test(v)) { ctx.warn(lineIndex, `"${v.slice(0, 60)}" is not a kernel symbol: not kept as a wait channel`); return; }
    rows.push({ line: lineIndex + 1, ...rowIds(path), wchan: v === '0' ? null : v });
  };

  for (; i < lines.length; i++) {
    const line = lines[i];
    if (i > start && isBoundary(line)) break;
    if (line.trim() === '') continue;
    if (isVanished(line)) { last = i; continue; }
    if (isSelfLine(line, 'wchan')) { last = i; continue; }
    if (isDenied(line)) { ctx.warn(i, 'not readable (permission denied)'); last = i; continue; }
    if (line.startsWith('==> ')) {
      if (isForeignHeadHeader(line, 'wchan')) break;
      pending = { path: headerPath(line), line: i };
      variant = 'bulk';
      last = i;
      continue;
    }
    const pre = line.includes('proc/') ? splitPrefixed(line, 'wchan') : undefined;
    if (pre) { variant = 'grep'; add(pre.path, pre.rest, i); last = i; continue; }
    const echo = line.includes('proc/') ? ECHO_LINE.exec(line) : null;
    if (echo) {
      const p = procPath(echo[1] ?? echo[3]);
      if (p) { variant = 'echo'; add(p, echo[2] ?? '', i); last = i; continue; }
    }
    const t = line.trim();
    if (SYMBOL.test(t)) {
      const path = pending?.path ?? (rows.length === 0 ? pidFromHint(ctx.hint, 'wchan') : undefined);
      pending = undefined;
      if (path) { add(path, t, i); last = i; continue; }
      if (rows.length === 0) {
        ctx.warn(i, `wait channel "${t}" without a PID: name the file /proc/PID/wchan or use grep -H . /proc/[0-9]*/wchan`);
        last = i;
        continue;
      }
      break;
    }
    if (isGlued(t, ctx.hint) && rows.length === 0) {
      ctx.warn(i, 'wait channels ran together (each /proc/PID/wchan lacks a newline, so `cat /proc/*/wchan` joins them): capture with grep -H . /proc/[0-9]*/wchan');
      last = i;
      continue;
    }
    break;
  }
  return {
    captures: [{ format: 'proc-wchan', variant: rows.some((r) => r.kind === 'thread') ? `${variant}-tasks` : variant, firstLine: start + 1, lastLine: last + 1, fields: ['pid', 'wchan'], rows }],
    end: last + 1,
  };
}

function isGlued(t: string, hint: Hint): boolean {
  return hint.bundleSection === 'wchan' || hintNames(hint, 'wchan') ? /^[\w.$]+$/.test(t) : false;
}
