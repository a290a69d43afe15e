// Redaction of the RAW inputs before anything leaves the browser, so the shared snapshot re-parses
// to the same graph minus the secrets. Line by line, keeping the line count (warnings and
// provenance cite line numbers), and keeping every replaced value one token (ps columns split on
// whitespace): secrets become `<redacted>`, names become `host-1`, `ip-1`, `user-1`.
// Pure: no DOM, no Node API.
import { LineEdits, REDACTED, type Edit, type RedactCategory } from './edits.ts';
import { PEM_BEGIN, findSecrets } from './secrets.ts';
import { Pseudonyms, findPseudonyms, learnNames, namesRegex, type PseudoFinders } from './pseudonyms.ts';

export { REDACT_CATEGORIES, REDACTED, type RedactCategory } from './edits.ts';

export type RedactOptions = Record<RedactCategory, boolean>;

/** Everything on: privacy by default (Firefox Profiler's publish panel), each one switchable. */
export const DEFAULT_REDACT_OPTIONS: RedactOptions = { secrets: true, hosts: true, ips: true, users: true };

export const CATEGORY_LABELS: Record<RedactCategory, string> = {
  secrets: 'Secrets (passwords, tokens, keys, credentials in URLs)',
  hosts: 'Host names → host-N',
  ips: 'IP addresses → ip-N',
  users: 'User names → user-N',
};

/** One replaced span, for the preview. Holds no original value: a secret never leaves redact. */
export interface RedactChange {
  /** Index into the inputs, and the input's name. */
  inputIndex: number;
  input: string;
  /** 1-based line. */
  line: number;
  category: RedactCategory;
  kind: string;
  /** 0-based half-open column range in the REDACTED line (what the preview shows). */
  start: number;
  end: number;
}

export interface RedactInput {
  name: string;
  text: string;
}

export interface RedactResult {
  inputs: RedactInput[];
  changes: RedactChange[];
  counts: Record<RedactCategory, number>;
}

interface PemState {
  end: string | null;
}

/**
 * Applies the line's edits left to right. A pseudonym in a padded column (`alice     1234`)
 * keeps the columns after it where they were, taking or giving spaces from the padding, so
 * parsers that read a header's column positions still line up.
 */
function applyEdits(line: string, list: Edit[], inputIndex: number, input: string, lineNo: number, out: RedactChange[]): string {
  list.sort((a, b) => a.start - b.start);
  let result = '';
  let pos = 0;
  for (const e of list) {
    if (e.start < pos) continue;
    result += line.slice(pos, e.start);
    const startOut = result.length;
    result += e.text;
    out.push({ inputIndex, input, line: lineNo, category: e.category, kind: e.kind, start: startOut, end: result.length });
    pos = e.end;
    if (e.category !== 'secrets') {
      let spaces = 0;
      while (line[pos + spaces] === ' ') spaces++;
      const delta = e.text.length - (e.end - e.start);
      if (spaces > 0 && delta > 0 && spaces > 1) pos += Math.min(delta, spaces - 1);
      else if (spaces > 1 && delta < 0) result += ' '.repeat(-delta);
    }
  }
  return result + line.slice(pos);
}

/** Redacts one share's inputs. Never throws; the same options give the same result. */
export function redactInputs(inputs: readonly RedactInput[], options: RedactOptions = DEFAULT_REDACT_OPTIONS): RedactResult {
  const counts: Record<RedactCategory, number> = { secrets: 0, hosts: 0, ips: 0, users: 0 };
  const changes: RedactChange[] = [];
  const pseudo = new Pseudonyms();
  const needNames = options.users || options.hosts;
  const learned = needNames ? learnNames(inputs.map((i) => i.text)) : { users: new Set<string>(), hosts: new Set<string>() };
  const finders: PseudoFinders = {
    users: options.users ? namesRegex(learned.users, 'users') : null,
    truncated: [...learned.users].filter((u) => u.endsWith('+')).map((u) => u.slice(0, -1)),
    hosts: options.hosts ? namesRegex(learned.hosts, 'hosts') : null,
    ips: options.ips,
    fqdn: options.hosts,
  };
  const anyPseudo = finders.users !== null || finders.hosts !== null || finders.ips || finders.fqdn;
  const out: RedactInput[] = [];

  inputs.forEach((input, inputIndex) => {
    const lines = input.text.split('\n');
    const pem: PemState = { end: null };
    let changed = false;
    const edits = new LineEdits();
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      edits.clear();
      if (options.secrets) {
        // Key blocks first: their edits win over anything found inside them.
        privateKeys(line, pem, edits);
        findSecrets(line, edits);
      }
      if (anyPseudo) findPseudonyms(line, finders, pseudo, edits);
      if (edits.list.length === 0) continue;
      lines[i] = applyEdits(line, edits.list, inputIndex, input.name, i + 1, changes);
      changed = true;
    }
    out.push({ name: input.name, text: changed ? lines.join('\n') : input.text });
  });
  for (const c of changes) counts[c.category]++;
  return { inputs: out, changes, counts };
}

/**
 * Private-key blocks. The body between `-----BEGIN … PRIVATE KEY-----` and its END line becomes
 * `<redacted>` line by line (the line count stays); a block that never ends is redacted to the end
 * of the input (sos: prefer redaction to disclosure).
 */
function privateKeys(line: string, pem: PemState, edits: LineEdits): void {
  let from = 0;
  if (pem.end !== null) {
    const at = line.indexOf(pem.end);
    if (at < 0) {
      if (line.length > 0) edits.add(0, line.length, REDACTED, 'secrets', 'private-key');
      return;
    }
    if (at > 0) edits.add(0, at, REDACTED, 'secrets', 'private-key');
    from = at + pem.end.length;
    pem.end = null;
  }
  for (;;) {
    if (!line.includes('-----BEGIN', from)) return;
    const m = PEM_BEGIN.exec(line.slice(from));
    if (!m) return;
    const bodyStart = from + m.index + m[0].length;
    const endMarker = `-----END ${m[1]}-----`;
    const at = line.indexOf(endMarker, bodyStart);
    if (at < 0) {
      if (bodyStart < line.length) edits.add(bodyStart, line.length, REDACTED, 'secrets', 'private-key');
      pem.end = endMarker;
      return;
    }
    // `KEY="-----BEGIN RSA PRIVATE KEY-----\nMIIE…\n-----END RSA PRIVATE KEY-----"` on one line.
    if (at > bodyStart) edits.add(bodyStart, at, REDACTED, 'secrets', 'private-key');
    from = at + endMarker.length;
  }
}
