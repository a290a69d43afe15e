// Test helper for the format parsers: read a real fixture, run one parser over it the way the
// ingest driver does (cleanup → sniff → parse until the end), validate every capture with zod.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Capture, type Row } from '../../../model/index.ts';
import { cleanupLines } from '../../cleanup.ts';
import type { CaptureDraft, FormatParser, Hint } from '../../types.ts';

export interface Run {
  lines: string[];
  captures: CaptureDraft[];
  warnings: { line: number; message: string; raw: string }[];
  /** Lines the parser's sniff refused (0-based). */
  refused: number[];
}

export function fixture(format: string, name: string): string {
  return readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), format, name), 'utf8');
}

export function runParser(parser: FormatParser, text: string, hint: Hint = { fileName: '' }): Run {
  const lines = cleanupLines(text);
  const warnings: Run['warnings'] = [];
  const ctx = {
    input: 'test', hint,
    warn(i: number, message: string) { warnings.push({ line: i + 1, message, raw: lines[i] }); },
  };
  const captures: CaptureDraft[] = [];
  const refused: number[] = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i].trim() === '') { i++; continue; }
    if (!(parser.sniff(lines, i, hint) > 0)) { refused.push(i); i++; continue; }
    const r = parser.parse(lines, i, ctx);
    captures.push(...r.captures);
    i = Math.max(r.end, i + 1);
  }
  for (const c of captures) {
    const { newMoment: _n, ...rest } = c;
    Capture.parse({ ...rest, input: 'test', moment: 0, rows: c.rows ?? [], kernelTasks: c.kernelTasks ?? [], meta: c.meta ?? {}, warnings: [] });
  }
  return { lines, captures, warnings, refused };
}

export function rowsOf(run: Run): Row[] {
  return run.captures.flatMap((c) => c.rows ?? []);
}

/** A readable one-line dump of a row: `thread 2/6 ppid=1 S worker-1 | ./fix threads`. */
export function dumpRow(r: Row): string {
  const id = r.kind === 'thread' ? `${r.pid}/${r.tid}` : String(r.pid);
  return `${r.kind} ${id} ppid=${r.ppid ?? '?'} ${r.state ?? '?'} ${r.comm ?? ''} | ${r.args ?? ''}`.trimEnd();
}

/**
 * Property check: the parser never throws and every capture it returns validates, on lines of
 * the given real texts shuffled, dropped, spliced and cut at random places.
 */
export async function neverThrows(parser: FormatParser, texts: string[], runs = 150): Promise<void> {
  const fc = (await import('fast-check')).default;
  const pool = texts.flatMap((t) => cleanupLines(t));
  const line = fc.oneof(
    fc.constantFrom(...pool),
    fc.tuple(fc.constantFrom(...pool), fc.nat(200)).map(([l, k]) => l.slice(0, k)),
    fc.tuple(fc.constantFrom(...pool), fc.constantFrom(...pool), fc.nat(120)).map(([a, b, k]) => a.slice(0, k) + b.slice(k)),
    fc.string({ maxLength: 120 }),
  );
  fc.assert(fc.property(fc.array(line, { maxLength: 60 }), fc.boolean(), (ls, hinted) => {
    runParser(parser, ls.join('\n'), hinted ? { fileName: '', command: `${parser.format.replace('busybox-', 'busybox ')} -T -H -c` } : { fileName: '' });
  }), { numRuns: runs });
}
