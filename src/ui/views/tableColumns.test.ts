import { describe, expect, it } from 'vitest';
import { latest } from '../lib/samples.testutil.ts';
import { CellTexts, cellMatches, columnsFor, commandName, formatCell, stateRank } from './tableColumns.ts';

const visible = (id: string) => columnsFor(latest(id)).specs.filter((c) => !c.hidden).map((c) => c.id);

describe('process table columns', () => {
  it('shows the columns a ps -o list had, and none it did not', () => {
    const cols = visible('ps-o-wchan');
    expect(cols).toEqual(expect.arrayContaining(['pid', 'ppid', 'state', 'wchan', 'args']));
    expect(cols).not.toContain('pcpu');
    expect(cols).not.toContain('rss');
  });

  it('gives ps aux its own columns and no invented PPID', () => {
    const cols = visible('ps-aux');
    expect(cols).toEqual(expect.arrayContaining(['user', 'pcpu', 'pmem', 'vsz', 'rss', 'tty', 'stat', 'start', 'time', 'args']));
    expect(cols).not.toContain('ppid');
    expect(cols).not.toContain('wchan');
  });

  it('keeps a hidden command-name column for grouping when the input had no comm', () => {
    const c = columnsFor(latest('ps-aux')).specs.find((x) => x.id === 'comm');
    expect(c?.hidden).toBe(true);
  });

  it('names a command by comm, else by the basename of argv[0]', () => {
    const s = latest('ps-aux');
    const sleeper = s.processes.find((p) => p.pid === 21)!;
    expect(commandName(sleeper)).toBe('sleep');
  });
});

describe('column filters', () => {
  it('compares numbers with >, <, =, ranges', () => {
    expect(cellMatches(12, '>10', 'number')).toBe(true);
    expect(cellMatches(10, '>10', 'number')).toBe(false);
    expect(cellMatches(150, '100-200', 'number')).toBe(true);
    expect(cellMatches(250, '100-200', 'number')).toBe(false);
    expect(cellMatches(0, '=0', 'number')).toBe(true);
    expect(cellMatches(undefined, '>0', 'number')).toBe(false);
  });

  it('keeps the state letters listed, case-sensitively', () => {
    expect(cellMatches('D', 'DZ', 'state')).toBe(true);
    expect(cellMatches('Z', 'DZ', 'state')).toBe(true);
    expect(cellMatches('t', 'T', 'state')).toBe(false);
  });

  it('matches text case-insensitively', () => {
    expect(cellMatches('folio_wait_bit_common', 'FOLIO', 'text')).toBe(true);
    expect(cellMatches(null, 'x', 'text')).toBe(false);
  });
});

describe('state order', () => {
  it('puts the alarming states first when sorting or grouping by state', () => {
    const letters = latest('ps-aux').processes.map((p) => p.state);
    const sorted = [...new Set(letters)].sort((a, b) => stateRank(a) - stateRank(b));
    expect(sorted.slice(0, 2)).toEqual(['D', 'Z']);
    expect(sorted.indexOf('S')).toBeGreaterThan(sorted.indexOf('t'));
  });
});

describe('cell texts', () => {
  it('prints memory in binary units, times as [d] hh:mm:ss and percentages to a tenth', () => {
    expect(formatCell('rss', 524288)).toBe('512.0 MiB');
    expect(formatCell('vsz', 900)).toBe('900 KiB');
    expect(formatCell('etime', 90061)).toBe('1d 01:01:01');
    expect(formatCell('pcpu', 3)).toBe('3.0');
    expect(formatCell('wchan', null)).toBe('');
  });

  it('formats each cell of a real ps aux row as the table shows it, and the same text again later', () => {
    const snap = latest('ps-aux');
    const texts = new CellTexts(columnsFor(snap));
    const p = snap.processes.find((x) => x.rssKiB !== undefined && x.rssKiB >= 1024)!;
    const rss = texts.get(p, 'rss');
    expect(rss).toBe(formatCell('rss', p.rssKiB));
    expect(rss).toMatch(/ (MiB|GiB)$/);
    expect(texts.get(p, 'pid')).toBe(String(p.pid));
    expect(texts.get(p, 'args')).toBe(p.args);
    expect(texts.get(p, 'rss')).toBe(rss);
    expect(texts.get(p, 'no-such-column')).toBe('');
  });
});
