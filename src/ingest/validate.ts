// Is this capture what the Capture schema accepts? The same answer as Capture.safeParse(c).success,
// without the copy: zod's parse builds a new object for every row (1M `ps aux` rows: ~5 s of copying
// and garbage collection, twice the rows in memory) only to strip keys our parsers never add
// (validate.test.ts holds every real sample to that). The driver keeps the parser's objects and
// asks safeParse only when this says no, for the issues.
//
// Two ways, both zod checking every field with its own schema:
// - Where code generation is allowed (Node, a page without a strict CSP): zod 4.6's `z.compile`
//   and its boolean `validate()`, which builds nothing. Rows go against Row cut into parts of a
//   dozen fields (Row.pick), each compiled on its own: a row is valid exactly when every part
//   accepts it. The compiled code wraps each optional field in a closure that V8 inlines only up
//   to a budget per function; one function for Row's 45 fields overruns it and allocates ~45
//   closures a row (1M rows: 620 ms → 200 ms).
// - Under a CSP without 'unsafe-eval' (the share server's: `script-src 'self'`) nothing can be
//   compiled and zod interprets, allocating for every field of the schema, present or not. Then
//   each row field present is checked alone with its own schema (and the required ones always):
//   a row is valid exactly when all of them are, since an absent optional field always is
//   (200k `ps aux` rows: whole ingest 1.7 s → 0.6 s of CPU).
import { z } from 'zod';
import { Capture, Row } from '../model/index.ts';

const ROW_FIELDS_PER_PART = 12;

type Check = z.ZodType;
interface Checks {
  /** The capture with its rows' contents left out (kernel tasks, meta, … are few). */
  head: Check;
  /** Compiled: Row in parts. */
  rowParts: Check[] | null;
  /** Interpreted: the schema of each Row field, and the fields that must be there. */
  fields: Record<string, Check> | null;
  required: string[];
}

const made: Partial<Record<'compiled' | 'interpreted', Checks>> = {};

function makeChecks(mode: 'compiled' | 'interpreted'): Checks {
  const plainHead = Capture.extend({ rows: z.array(z.unknown()) });
  // zod's own probe (it makes it once for its JIT anyway): without it every compile() attempt
  // would cost another CSP violation report in the page's worker.
  const generate = mode === 'compiled' && z.util.allowsEval.value && !z.config().jitless;
  const head = generate ? z.compile(plainHead) : plainHead;
  const keys = Object.keys(Row.shape) as (keyof typeof Row.shape)[];
  const required = keys.filter((k) => !Row.shape[k].safeParse(undefined).success);
  // compile() also gives the schema back unchanged where code generation fails.
  if (head !== plainHead) {
    const rowParts: Check[] = [];
    for (let i = 0; i < keys.length; i += ROW_FIELDS_PER_PART) {
      const mask: Partial<Record<keyof typeof Row.shape, true>> = {};
      for (const k of keys.slice(i, i + ROW_FIELDS_PER_PART)) mask[k] = true;
      rowParts.push(z.compile(Row.pick(mask)));
    }
    return { head, rowParts, fields: null, required };
  }
  const fields: Record<string, Check> = Object.create(null);
  for (const k of keys) fields[k] = Row.shape[k];
  return { head, rowParts: null, fields, required };
}

/**
 * Whether Capture.safeParse(candidate) would succeed. `mode` is for tests: by default the compiled
 * checks, which fall back to the interpreted ones by themselves where code generation is refused.
 */
export function captureIsValid(candidate: Capture, mode: 'compiled' | 'interpreted' = 'compiled'): boolean {
  const checks = (made[mode] ??= makeChecks(mode));
  if (!checks.head.validate(candidate)) return false;
  const rows = candidate.rows as unknown[];
  const { rowParts, fields, required } = checks;
  if (rowParts !== null) {
    for (let k = 0; k < rows.length; k++) {
      const row = rows[k];
      for (let p = 0; p < rowParts.length; p++) if (!rowParts[p].validate(row)) return false;
    }
    return true;
  }
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k] as Record<string, unknown>;
    if (typeof row !== 'object' || row === null || Array.isArray(row)) return false;
    for (const f of required) if (!(f in row)) return false;
    for (const f in row) {
      const check = fields![f];
      if (check !== undefined && !check.validate(row[f])) return false;
    }
  }
  return true;
}
