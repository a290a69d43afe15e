// Value readers for procps `ps` cells. They read straight from the line between two offsets
// (no substring, no regex) because `ps aux` on a big host is a million rows: every cell of
// every row passes through here. Each returns NaN / false when the cell is not that shape, so
// the caller can say which column was wrong.
import type { StateLetter } from '../../model/index.ts';

const C0 = 48; // '0'
const MINUS = 45; // '-'
const COLON = 58; // ':'
const DOT = 46; // '.'

/** `1234`, `-11`; NaN for anything else (including `-`). */
export function readInt(s: string, from: number, to: number): number {
  let i = from;
  let neg = false;
  if (i < to && s.charCodeAt(i) === MINUS) { neg = true; i++; }
  if (i >= to || to - i > 15) return NaN;
  let n = 0;
  for (; i < to; i++) {
    const d = s.charCodeAt(i) - C0;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return neg ? -n : n;
}

/** `0.0`, `12.5`, `100`; NaN otherwise. */
export function readFloat(s: string, from: number, to: number): number {
  let n = 0;
  let scale = 0;
  let digits = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === DOT) {
      if (scale !== 0) return NaN;
      scale = 1;
      continue;
    }
    const d = c - C0;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
    digits++;
    if (scale !== 0) scale *= 10;
  }
  if (digits === 0) return NaN;
  return scale > 1 ? n / scale : n;
}

/** A cell that is just `-`: procps prints it for "no value" (thread rows, NI of RT tasks, RTPRIO). */
export function isDash(s: string, from: number, to: number): boolean {
  return to === from + 1 && s.charCodeAt(from) === MINUS;
}

/**
 * CPU time and elapsed time in every form ps prints, to seconds:
 * `0:00` and `533:33` (bsdtime, minutes unbounded), `00:16` (etime), `00:00:06`, `07:29:37`,
 * `1-02:40:00` and `2-07:29:37` (days), and plain seconds (`cputimes`, `etimes`: `199777`).
 * NaN when the cell is none of these.
 */
export function readDuration(s: string, from: number, to: number): number {
  let days = 0;
  let acc = 0; // seconds so far (fields before the current one, shifted by 60 each)
  let cur = 0;
  let curDigits = 0;
  let colons = 0;
  let sawDash = false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === COLON) {
      if (curDigits === 0 || colons === 2) return NaN;
      acc = (acc + cur) * 60;
      cur = 0; curDigits = 0; colons++;
      continue;
    }
    if (c === MINUS) {
      if (sawDash || colons > 0 || curDigits === 0) return NaN;
      days = cur; cur = 0; curDigits = 0; sawDash = true;
      continue;
    }
    const d = c - C0;
    if (d < 0 || d > 9) return NaN;
    cur = cur * 10 + d;
    curDigits++;
  }
  if (curDigits === 0) return NaN;
  // After a colon the field is seconds or minutes: two digits.
  if (colons > 0 && curDigits !== 2) return NaN;
  if (sawDash && colons !== 2) return NaN;
  return days * 86400 + acc + cur;
}

const STATE_OK = new Uint8Array(128);
for (const ch of 'DRSTtZXIWP') STATE_OK[ch.charCodeAt(0)] = 1;
const FLAG_OK = new Uint8Array(128);
for (const ch of '<NLsl+') FLAG_OK[ch.charCodeAt(0)] = 1;

/**
 * STAT (`Ssl`, `D<`, `Ss+`, `I<`) or S (`D`): true when the cell is a state letter followed by
 * BSD flag characters. A cell like `Sps:src/ps/display.c:71:` (ps 4.0.2 crashing mid-row with
 * its stderr glued on) is not.
 */
export function isStat(s: string, from: number, to: number): boolean {
  if (to <= from || to - from > 8) return false;
  const c = s.charCodeAt(from);
  if (c >= 128 || STATE_OK[c] === 0) return false;
  for (let i = from + 1; i < to; i++) {
    const f = s.charCodeAt(i);
    if (f >= 128 || FLAG_OK[f] === 0) return false;
  }
  return true;
}

export function stateLetter(stat: string): StateLetter {
  return stat[0] as StateLetter;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function word3(s: string, from: number, to: number, list: readonly string[]): number {
  if (to - from !== 3) return -1;
  return list.indexOf(s.slice(from, to));
}

/** `Nov` → 0..11, else -1. */
export function monthIndex(s: string, from: number, to: number): number {
  return word3(s, from, to, MONTHS);
}

export function isWeekday(s: string, from: number, to: number): boolean {
  return word3(s, from, to, WEEKDAYS) >= 0;
}

/** Day of month as bsdstart/start print it after the month: `4`, `04`, `26`. */
export function isDayOfMonth(s: string, from: number, to: number): boolean {
  if (to - from < 1 || to - from > 2) return false;
  const n = readInt(s, from, to);
  return n >= 1 && n <= 31;
}

/** `17:51:29` */
export function isClock(s: string, from: number, to: number): boolean {
  return to - from === 8 && s.charCodeAt(from + 2) === COLON && s.charCodeAt(from + 5) === COLON
    && !Number.isNaN(readDuration(s, from, to));
}

/** A four-digit year (`2026`). */
export function isYear(s: string, from: number, to: number): boolean {
  return to - from === 4 && readInt(s, from, to) >= 1970;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * lstart (`%a %b %e %H:%M:%S %Y`, e.g. `Wed Nov  4 17:51:29 2026`) to ISO 8601 local time
 * without a zone (`2026-11-04T17:51:29`): ps prints the host's local time and never its zone.
 * Undefined when the text is not that shape (4.0.3+ `--date-format` can change it).
 */
export function lstartToIso(text: string): string | undefined {
  const p = text.trim().split(/\s+/);
  if (p.length !== 5) return undefined;
  const [wd, mon, day, clock, year] = p;
  const m = MONTHS.indexOf(mon);
  if (m < 0 || !WEEKDAYS.includes(wd) || !isDayOfMonth(day, 0, day.length)
    || !isClock(clock, 0, clock.length) || !isYear(year, 0, year.length)) return undefined;
  return `${year}-${pad2(m + 1)}-${pad2(Number(day))}T${clock}`;
}

/**
 * Forest art before a command (`ps -ef --forest`, `axf`, `auxf`, `axjf`): each ancestor level
 * is 4 characters (` |  ` or four spaces), the process's own level ` \_ `:
 *     `     82      79  |   \_ sleep`
 * Looks at `s` from `colStart` (where the column begins) and returns the offset of the command
 * after the art, or -1 when there is no art.
 */
export function forestArtEnd(s: string, colStart: number): number {
  const limit = Math.min(s.length - 2, colStart + 4 * 64);
  for (let i = colStart; i < limit; i++) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 124 /* | */) continue;
    if (c === 92 /* \ */ && s.charCodeAt(i + 1) === 95 /* _ */ && s.charCodeAt(i + 2) === 32) return i + 3;
    return -1;
  }
  return -1;
}

/** ` <defunct>` that procps 4.0.5+ appends to a zombie's comm (`fix <defunct>`). */
export const DEFUNCT = ' <defunct>';
