// Test helper for the /proc, loadavg, kernel-log and bundle parsers: runs ONE parser over a text
// the way the driver (src/ingest/index.ts) does — cleanup, bundle markers and prompt lines set the
// hint, sniff decides where a section starts — and validates every capture with the zod schema,
// so a test sees exactly what ingest() would keep. Not used by the app.
import { Capture } from '../../model/index.ts';
import { cleanupLines } from '../cleanup.ts';
import { BUNDLE_HEADER, BUNDLE_MARKER, promptCommand } from '../boundaries.ts';
import type { FormatParser, Hint, ParseContext } from '../types.ts';

export interface TestRun {
  captures: Capture[];
  warnings: { line: number; message: string }[];
  /** 1-based lines the parser did not claim (sniff said 0), blank lines excluded. */
  unclaimed: number[];
  lines: string[];
}

export function runParser(parser: FormatParser, text: string, hint: Partial<Hint> = {}): TestRun {
  const lines = cleanupLines(text);
  const h: Hint = { fileName: hint.fileName ?? '', command: hint.command, bundleSection: hint.bundleSection };
  const warnings: TestRun['warnings'] = [];
  const ctx: ParseContext = { input: h.fileName || 'paste', hint: h, warn: (i, message) => warnings.push({ line: i + 1, message }) };
  const captures: Capture[] = [];
  const unclaimed: number[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === '') { i++; continue; }
    const marker = BUNDLE_MARKER.exec(line);
    if (marker) { h.bundleSection = marker[1]; h.command = undefined; i++; continue; }
    if (BUNDLE_HEADER.test(line)) { i++; continue; }
    const cmd = promptCommand(line);
    if (cmd !== undefined) { h.command = cmd; i++; continue; }
    if (parser.sniff(lines, i, h) <= 0) { unclaimed.push(i + 1); i++; continue; }
    const res = parser.parse(lines, i, ctx);
    for (const d of res.captures) {
      const { newMoment: _n, ...rest } = d;
      captures.push(Capture.parse({
        ...rest, input: ctx.input, moment: 0, rows: d.rows ?? [], kernelTasks: d.kernelTasks ?? [], meta: d.meta ?? {}, warnings: [],
      }));
    }
    h.command = hint.command;
    i = Math.max(res.end, i + 1);
  }
  return { captures, warnings, unclaimed, lines };
}

/** All rows of all captures. */
export function rowsOf(run: TestRun) {
  return run.captures.flatMap((c) => c.rows);
}
