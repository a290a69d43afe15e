// ingest: text → Capture[]. cleanup → find sections (sniff) → parse → validate with zod.
// Pure: no DOM, no Node API. Never throws on input; problems become warnings with line numbers.
import { Capture, type IngestResult, type Input, type Warning } from '../model/index.ts';
import { captureIsValid } from './validate.ts';
import { cleanupLines } from './cleanup.ts';
import { BUNDLE_HEADER, BUNDLE_MARKER, promptCommand } from './boundaries.ts';
import { FORMAT_PARSERS } from './formats/index.ts';
import type { CaptureDraft, FormatParser, Hint, ParseContext } from './types.ts';

export type { Hint, FormatParser } from './types.ts';

// A section of the same kind repeated in one input about the same tasks means a new moment (two
// `ps aux` pastes, `top -n3`, two `head /proc/7/task/*/status` 12 s apart). Stacks of different
// PIDs one after the other are one moment, so the tasks must overlap. Kernel logs and bundle facts
// never start a moment: one dmesg holds reports from many minutes.
const TIMELESS_FORMATS = new Set(['kernel-log', 'bundle-meta']);
const OVERLAP_SAMPLE = 64;

function taskSample(draft: CaptureDraft): Set<string> {
  const out = new Set<string>();
  const rows = draft.rows ?? [];
  for (let k = 0; k < rows.length && out.size < OVERLAP_SAMPLE; k++) out.add(`${rows[k].pid}/${rows[k].tid ?? ''}`);
  return out;
}

/** Progress callback for big inputs: fraction of lines read so far. */
export type Progress = (done: number, total: number) => void;

export function ingest(inputs: readonly Input[], onProgress?: Progress): IngestResult {
  const result: IngestResult = { inputs: [], captures: [], warnings: [], errors: [] };
  // Inputs are told apart by name (moments are counted per input): unnamed pastes get
  // `paste`, `paste 2`, … and a repeated file name gets a suffix.
  const used = new Map<string, number>();
  for (const input of inputs) {
    const base = input.name || 'paste';
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    ingestOne({ name: n === 1 ? base : `${base} ${n}`, text: input.text }, result, onProgress);
  }
  return result;
}

function ingestOne(input: Input, result: IngestResult, onProgress?: Progress): void {
  const name = input.name;
  const lines = cleanupLines(input.text);
  const warnings: Warning[] = [];
  const captures: Capture[] = [];
  const hint: Hint = { fileName: input.name };
  const ctx: ParseContext = {
    input: name,
    hint,
    warn(lineIndex, message) {
      warnings.push({ input: name, line: lineIndex + 1, message, raw: lines[lineIndex] });
    },
  };
  let moment = 0;
  // key → sample of the tasks that section showed, for the current moment
  const seen = new Map<string, Set<string>>();
  let unknownRun: number[] = [];
  const flushUnknown = () => {
    if (unknownRun.length === 0) return;
    const first = unknownRun[0];
    const shown = lines[first].trim().slice(0, 80);
    warnings.push({
      input: name, line: first + 1, raw: lines[first],
      message: unknownRun.length === 1
        ? `line ${first + 1} is in no known format: "${shown}"`
        : `lines ${first + 1}–${unknownRun[unknownRun.length - 1] + 1} are in no known format (first: "${shown}")`,
    });
    unknownRun = [];
  };

  let i = 0;
  let lastProgress = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === '') { i++; continue; }
    const marker = BUNDLE_MARKER.exec(line);
    if (marker) { flushUnknown(); hint.bundleSection = marker[1]; hint.command = undefined; i++; continue; }
    if (BUNDLE_HEADER.test(line)) { flushUnknown(); i++; continue; }
    const cmd = promptCommand(line);
    if (cmd !== undefined) { flushUnknown(); hint.command = cmd; i++; continue; }

    const parser = pick(lines, i, hint);
    if (!parser) { unknownRun.push(i); i++; continue; }
    flushUnknown();
    let parsed;
    try {
      parsed = parser.parse(lines, i, ctx);
    } catch (err) {
      // A parser bug must not lose the paste: report it and skip the line.
      ctx.warn(i, `${parser.format} parser failed here: ${(err as Error).message}`);
      i++;
      continue;
    }
    const end = Math.max(parsed.end, i + 1);
    for (const draft of parsed.captures) {
      if (!TIMELESS_FORMATS.has(draft.format)) {
        const key = `${draft.format}|${(draft.header ?? []).join(' ')}|${draft.variant}`;
        const sample = taskSample(draft);
        const before = seen.get(key);
        const repeats = before !== undefined && (sample.size === 0 || [...sample].some((t) => before.has(t)));
        if ((draft.newMoment || repeats) && captures.length > 0) {
          moment++;
          seen.clear();
        }
        const merged = seen.get(key);
        if (merged) for (const t of sample) merged.add(t); else seen.set(key, sample);
      }
      const cap = finish(draft, name, moment, ctx);
      if (cap) captures.push(cap);
    }
    // The hint belongs to one section.
    hint.command = undefined;
    i = end;
    if (onProgress && i - lastProgress > 50_000) { lastProgress = i; onProgress(i, lines.length); }
  }
  flushUnknown();

  if (captures.length === 0) {
    const firstText = lines.find((l) => l.trim() !== '')?.trim().slice(0, 80);
    result.errors.push({
      input: name,
      message: firstText === undefined
        ? `${name} is empty`
        : `${name} is in no known format: it starts with "${firstText}". procscope reads ps (procps and busybox), top -b, pstree, /proc/PID/{status,stat,wchan,stack,cmdline}, /proc/loadavg, /proc/stat, kernel hung-task/SysRq-w logs and collect.sh bundles.`,
    });
  }
  result.inputs.push({
    name, lines: lines.length,
    sections: captures.map((c) => ({ format: c.format, variant: c.variant, firstLine: c.firstLine, lastLine: c.lastLine })),
  });
  // Loops, not push(...list): a paste of 300k unreadable rows gives 300k warnings, more arguments
  // than a call can take (RangeError: Maximum call stack size exceeded).
  for (const c of captures) result.captures.push(c);
  for (const w of warnings) result.warnings.push(w);
}

function pick(lines: readonly string[], i: number, hint: Hint): FormatParser | undefined {
  let best: FormatParser | undefined;
  let bestScore = 0;
  for (const p of FORMAT_PARSERS) {
    let s = 0;
    try { s = p.sniff(lines, i, hint); } catch { s = 0; }
    if (s > bestScore) { best = p; bestScore = s; }
  }
  return best;
}

/**
 * Stamps a draft and validates it with zod. A row that fails validation is dropped from the
 * capture with a warning that names its line and keeps the raw text; anything else wrong drops
 * the section with one warning naming its lines.
 */
function finish(draft: CaptureDraft, input: string, moment: number, ctx: ParseContext): Capture | undefined {
  const { newMoment: _ignored, ...rest } = draft;
  const candidate: Capture = {
    ...rest, input, moment,
    rows: draft.rows ?? [], kernelTasks: draft.kernelTasks ?? [], meta: draft.meta ?? {}, warnings: [],
  };
  if (captureIsValid(candidate)) return candidate;
  // Something is wrong: the plain parse names every issue with its path.
  for (let attempt = 0; attempt < 3; attempt++) {
    const parsed = Capture.safeParse(candidate);
    if (parsed.success) return parsed.data;
    const badRows = new Set<number>();
    let other: (typeof parsed.error.issues)[number] | undefined;
    for (const issue of parsed.error.issues) {
      if ((issue.path[0] === 'rows' || issue.path[0] === 'kernelTasks') && typeof issue.path[1] === 'number') {
        const list = issue.path[0] === 'rows' ? candidate.rows : candidate.kernelTasks;
        const bad = list[issue.path[1]] as { line?: number } | undefined;
        ctx.warn((bad?.line ?? draft.firstLine) - 1, `${draft.format} row not kept: ${issue.path.slice(2).join('.')} ${issue.message}`);
        if (issue.path[0] === 'rows') badRows.add(issue.path[1]);
        else candidate.kernelTasks = candidate.kernelTasks.filter((_, k) => k !== issue.path[1]);
      } else {
        other = issue;
      }
    }
    if (other) {
      ctx.warn(draft.firstLine - 1, `${draft.format} section (lines ${draft.firstLine}–${draft.lastLine}) was not read: ${other.path.join('.')} ${other.message}`);
      return undefined;
    }
    candidate.rows = candidate.rows.filter((_, k) => !badRows.has(k));
  }
  return undefined;
}
