// The contract between the ingest driver (index.ts) and the one-file-per-format parsers.
import type { Capture, Format, KernelTask, Meta, Row, Warning } from '../model/index.ts';

/** What we know about a section before reading it: a file name, the echoed command, a bundle marker. */
export interface Hint {
  /** The input's file name ('' for a paste). Only a hint: content decides. */
  fileName: string;
  /** The command echoed before the section (`$ ps -eLf`, `[root@n1 ~]# top -b -n1`), if any. */
  command?: string;
  /** The collector bundle's section marker name (`ps`, `threads`, `stacks`, …), if any. */
  bundleSection?: string;
}

export interface ParseContext {
  input: string;
  hint: Hint;
  /** Record a problem with an input line (1-based line = index + 1); the raw line is kept. */
  warn(lineIndex: number, message: string): void;
}

/** A capture before the driver stamps input/moment and validates it. */
export type CaptureDraft = Omit<Capture, 'input' | 'moment' | 'warnings' | 'rows' | 'kernelTasks' | 'meta'> & {
  rows?: Row[];
  kernelTasks?: KernelTask[];
  meta?: Meta;
  /** Set on a section that starts a new moment of the same input (a second `top -` iteration). */
  newMoment?: boolean;
};

export interface ParseResult {
  captures: CaptureDraft[];
  /** Index of the first line NOT consumed (> start). */
  end: number;
}

/**
 * One input format. `lines` are the cleaned lines of the whole input (index i = line i+1).
 * `sniff` is cheap and looks only near `start`: the confidence (0..1) that a section of this
 * format begins at lines[start]. 0 = no. The driver picks the highest; ties go to list order.
 * `parse` reads from `start` as far as its section goes and never throws on bad rows: it warns
 * with the line and keeps going.
 */
export interface FormatParser {
  format: Format;
  sniff(lines: readonly string[], start: number, hint: Hint): number;
  parse(lines: readonly string[], start: number, ctx: ParseContext): ParseResult;
}

export type { Warning };
