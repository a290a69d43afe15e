// Edits of one line: what to replace (in the ORIGINAL line's columns), by what, and why.
// Detectors only propose edits; redact.ts resolves overlaps and applies them.

export const REDACT_CATEGORIES = ['secrets', 'hosts', 'ips', 'users'] as const;
export type RedactCategory = (typeof REDACT_CATEGORIES)[number];

/** What every replaced secret becomes: one token, no whitespace, so ps columns still split. */
export const REDACTED = '<redacted>';

export interface Edit {
  /** 0-based half-open range in the original line. */
  start: number;
  end: number;
  text: string;
  category: RedactCategory;
  /** What was found, for the preview: 'password', 'jwt', 'aws-key', 'host', … */
  kind: string;
}

/** Edits of one line in priority order: an edit overlapping one already taken is dropped. */
export class LineEdits {
  readonly list: Edit[] = [];

  add(start: number, end: number, text: string, category: RedactCategory, kind: string): boolean {
    if (end <= start) return false;
    for (const e of this.list) if (start < e.end && e.start < end) return false;
    this.list.push({ start, end, text, category, kind });
    return true;
  }

  clear(): void {
    this.list.length = 0;
  }

  /** Whether [start, end) touches an edit already taken (so a later detector leaves it alone). */
  covers(start: number, end: number): boolean {
    for (const e of this.list) if (start < e.end && e.start < end) return true;
    return false;
  }
}
