// Cell readers for ps values. The strings are the value forms of reference/formats.md §1.2/§6.12,
// each as ps prints it.
import { describe, expect, it } from 'vitest';
import {
  forestArtEnd, isClock, isDayOfMonth, isStat, isWeekday, isYear, lstartToIso, monthIndex,
  readDuration, readFloat, readInt,
} from './ps-values.ts';

const whole = <T>(fn: (s: string, from: number, to: number) => T) => (s: string): T => fn(s, 0, s.length);
const duration = whole(readDuration);

describe('readDuration (§6.12)', () => {
  it('reads bsdtime M:SS with unbounded minutes', () => {
    expect(duration('0:00')).toBe(0);
    expect(duration('0:02')).toBe(2);
    expect(duration('533:33')).toBe(533 * 60 + 33);
    expect(duration('1600:00')).toBe(96000);
  });

  it('reads time HH:MM:SS and D-HH:MM:SS', () => {
    expect(duration('00:00:06')).toBe(6);
    expect(duration('07:29:37')).toBe(7 * 3600 + 29 * 60 + 37);
    expect(duration('1-02:40:00')).toBe(96000);
    expect(duration('2-07:29:37')).toBe(199777);
  });

  it('reads etime MM:SS and plain seconds (etimes, cputimes)', () => {
    expect(duration('00:16')).toBe(16);
    expect(duration('01:07')).toBe(67);
    expect(duration('199777')).toBe(199777);
  });

  it('refuses anything else', () => {
    for (const bad of ['-', '', 'Nov04', '17:5', '1-02:40', '0:00.00', '12,34', '5h', '1--2:00:00', ':00', 'S']) {
      expect(duration(bad), bad).toBeNaN();
    }
  });

  it('reads from the middle of a line without copying it', () => {
    const line = '      2  2-07:29:37  199777 1-02:40:00';
    const at = line.indexOf('2-07');
    expect(readDuration(line, at, at + 10)).toBe(199777);
  });
});

describe('numbers', () => {
  it('readInt reads PIDs and negative PRI/NI/TPGID, and refuses `-` and words', () => {
    expect(whole(readInt)('4194304')).toBe(4194304);
    expect(whole(readInt)('-11')).toBe(-11);
    expect(whole(readInt)('-1')).toBe(-1);
    expect(whole(readInt)('-')).toBeNaN();
    expect(whole(readInt)('12a')).toBeNaN();
    expect(whole(readInt)('')).toBeNaN();
  });

  it('readFloat reads %CPU/%MEM', () => {
    expect(whole(readFloat)('0.0')).toBe(0);
    expect(whole(readFloat)('2.4')).toBeCloseTo(2.4);
    expect(whole(readFloat)('100')).toBe(100);
    expect(whole(readFloat)('0%')).toBeNaN();
    expect(whole(readFloat)('1.2.3')).toBeNaN();
    expect(whole(readFloat)('.')).toBeNaN();
  });
});

describe('isStat', () => {
  it('accepts the STAT forms of formats.md §1.2 and ps -l S', () => {
    for (const ok of ['Ssl', 'SLs', 'SNs', 'S<s', 'Ds', 'Ss+', 'I<', 'Zs', 'D', 'R+', 't', 'T', 'X', 'W', 'S<Ll']) {
      expect(whole(isStat)(ok), ok).toBe(true);
    }
  });

  it('refuses a half-printed crash row and other words', () => {
    for (const bad of ['Sps:src/ps/display.c:71:', 's', 'user,', '?', '-', 'SW ', 'Q']) {
      expect(whole(isStat)(bad), bad).toBe(false);
    }
  });
});

describe('dates', () => {
  it('lstart becomes local ISO without a zone, `Nov  4` included', () => {
    expect(lstartToIso('Wed Nov  4 17:51:29 2026')).toBe('2026-11-04T17:51:29');
    expect(lstartToIso('Thu Nov 26 18:49:50 2026')).toBe('2026-11-26T18:49:50');
    expect(lstartToIso('Nov 04')).toBeUndefined();
    expect(lstartToIso('Wed Nov 44 17:51:29 2026')).toBeUndefined();
  });

  it('tells start/bsdstart parts by shape', () => {
    expect(whole(monthIndex)('Nov')).toBe(10);
    expect(whole(monthIndex)('Nov04')).toBe(-1);
    expect(whole(isWeekday)('Wed')).toBe(true);
    expect(whole(isDayOfMonth)('04')).toBe(true);
    expect(whole(isDayOfMonth)('4')).toBe(true);
    expect(whole(isDayOfMonth)('2026')).toBe(false);
    expect(whole(isClock)('17:51:29')).toBe(true);
    expect(whole(isClock)('17:51')).toBe(false);
    expect(whole(isYear)('2026')).toBe(true);
  });
});

describe('forestArtEnd (§6.6)', () => {
  it('finds the command after `\\_ ` and ancestor levels of `|   ` or spaces', () => {
    // From formats.md §1.4; the COMMAND column starts at offset 16.
    const depth2 = String.raw`     82      79  |   \_ sleep`;
    expect(forestArtEnd(depth2, 16)).toBe(24);
    const depth3 = String.raw`     84      83  |       \_ sleep`;
    expect(forestArtEnd(depth3, 16)).toBe(28);
    expect(forestArtEnd('     78       0 bash', 16)).toBe(-1);
  });
});
