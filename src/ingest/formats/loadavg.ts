// /proc/loadavg and `uptime`: the load of a moment.
//   1.95 0.75 0.28 1/125 7768
//     load 1/5/15 min (R + D tasks, so D tasks raise it), runnable/total *threads*, last PID made
//   17:51:47 up 3 min,  0 user,  load average: 0.78, 0.22, 0.07              (procps uptime, `w`)
//   17:51:47 up 12 days,  3:04,  2 users,  load average: 0,78, 0,22, 0,07   (decimal-comma locale)
//   17:51:47 up 3 min,  load average: 0.00, 0.00, 0.00                       (busybox: no users)
// `top - 17:51:47 up ...` is top's own header and belongs to the top parser.
import type { Meta } from '../../model/index.ts';
import type { FormatParser, ParseContext, ParseResult } from '../types.ts';

const PROC_LOADAVG = /^\s*(\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+)\/(\d+) (\d+)\s*$/;
const UPTIME = /^\s*(\d{1,2}:\d{2}(?::\d{2})?)\s+up\s+(.+?),\s+(?:(\d+) users?,\s+)?load averages?:\s+(.+?)\s*$/;

export const loadavg: FormatParser = {
  format: 'loadavg',

  sniff(lines, start, hint) {
    const line = lines[start];
    if (PROC_LOADAVG.test(line)) return 0.95;
    if (UPTIME.test(line)) return 0.9;
    if (hint.bundleSection === 'loadavg') return 0.8;
    return 0;
  },

  parse(lines, start, ctx) {
    return parseLoadavg(lines, start, ctx);
  },
};

function parseLoadavg(lines: readonly string[], start: number, ctx: ParseContext): ParseResult {
  const line = lines[start];
  const p = PROC_LOADAVG.exec(line);
  if (p) {
    const meta: Meta = {
      load: [Number(p[1]), Number(p[2]), Number(p[3])],
      runnable: Number(p[4]),
      totalTasks: Number(p[5]),
      lastPid: Number(p[6]),
    };
    return one(start, 'proc-loadavg', meta);
  }
  const u = UPTIME.exec(line);
  if (u) {
    const meta: Meta = { clock: u[1] };
    const up = uptimeSeconds(u[2]);
    if (up !== undefined) meta.uptimeSec = up;
    if (u[3] !== undefined) meta.users = Number(u[3]);
    const load = loadTriple(u[4]);
    if (load) meta.load = load;
    else ctx.warn(start, `load average "${u[4]}" not understood`);
    return one(start, 'uptime', meta);
  }
  ctx.warn(start, 'not a /proc/loadavg line (`1.95 0.75 0.28 1/125 7768`) or uptime output');
  return { captures: [], end: start + 1 };
}

function one(start: number, variant: string, meta: Meta): ParseResult {
  return {
    captures: [{ format: 'loadavg', variant, firstLine: start + 1, lastLine: start + 1, fields: [], meta }],
    end: start + 1,
  };
}

/** `0.78, 0.22, 0.07` or `0,78, 0,22, 0,07` (de_DE) or `1.20 1.31 1.40`. */
export function loadTriple(s: string): [number, number, number] | undefined {
  const m = /^(\d+[.,]\d+),?\s+(\d+[.,]\d+),?\s+(\d+[.,]\d+)$/.exec(s.trim());
  if (!m) return undefined;
  return [m[1], m[2], m[3]].map((x) => Number(x.replace(',', '.'))) as [number, number, number];
}

/** `3 min`, `1:23`, `12 days,  3:04`, `5 days, 10 min`, `1 day`, `45 sec` → seconds. */
export function uptimeSeconds(s: string): number | undefined {
  let total = 0;
  let any = false;
  for (const part of s.split(',')) {
    const t = part.trim();
    let m: RegExpExecArray | null;
    if ((m = /^(\d+) days?$/.exec(t))) total += Number(m[1]) * 86400;
    else if ((m = /^(\d+):(\d{2})$/.exec(t))) total += Number(m[1]) * 3600 + Number(m[2]) * 60;
    else if ((m = /^(\d+) min(?:s|utes?)?$/.exec(t))) total += Number(m[1]) * 60;
    else if ((m = /^(\d+) (?:hrs?|hours?)$/.exec(t))) total += Number(m[1]) * 3600;
    else if ((m = /^(\d+) secs?$/.exec(t))) total += Number(m[1]);
    else return undefined;
    any = true;
  }
  return any ? total : undefined;
}
