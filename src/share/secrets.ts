// Secrets in one line of a capture (command lines, environments, kernel logs), after sos clean's
// text_secrets.py: assignments to password/token/secret/api-key style keys in every shell/config
// form, Bearer/Basic authorization, JWTs, AWS access key ids, `scheme://user:pass@host` and the
// tool-specific short flags (`mysql -pSECRET`). Only the VALUE is replaced, by `<redacted>`, so a
// reader still sees which flag carried a secret and ps columns still split on whitespace.
// Private-key blocks span lines and are handled by redact.ts with PEM_BEGIN.
import { REDACTED, type LineEdits } from './edits.ts';

/** Cheap test first: most ps rows hold none of these and skip the detectors below. */
const MAYBE = /pass|pw|token|secret|key|auth|cred|bearer|eyJ|AKIA|ASIA|:\/\/|BEGIN|mysql|maria|redis|curl/i;

// Keys are maximal runs of these characters: `--db-password`, `MYSQL_ROOT_PASSWORD`,
// `-Djavax.net.ssl.keyStorePassword`, `"client_secret"`.
const KEY_RUN = /[A-Za-z0-9_.-]+/g;
// A key is secret when it ENDS with one of these (case-insensitive), whatever comes before:
// `DBPASSWORD`, `clientSecret`, `x-auth-token`. `--password-file /etc/pw` ends with `file`: kept,
// the path is not the secret (the file is). `--max-tokens 512` ends with `tokens`: kept.
const LONG_ENDINGS = [
  'password', 'passwd', 'passphrase', 'secret', 'token', 'credential', 'credentials',
  'apikey', 'api_key', 'api-key', 'accesskey', 'access_key', 'access-key',
  'secretkey', 'secret_key', 'secret-key', 'privatekey', 'private_key', 'private-key',
  'sessionkey', 'session_key', 'session-key',
];
// Short words count only as a whole component (`--pass`, `DB_PASS`, `dbPass`, `--auth`), so
// `bypass=1`, `compass`, `oauth` or `--kdf-pw-hash`-like words inside identifiers stay.
const SHORT_ENDINGS = ['pass', 'pwd', 'pw', 'auth', 'creds'];
// Whole keys that hold a secret without saying so: redis `requirepass foo`, `masterauth foo`.
const WHOLE_KEYS = new Set(['requirepass', 'masterauth']);
// The working directory in an environment dump (`PWD=/root`) is not a password.
const NOT_SECRET = new Set(['PWD', 'OLDPWD']);

export function isSecretKey(run: string): boolean {
  const key = run.replace(/^-+/, '');
  if (key === '' || NOT_SECRET.has(key)) return false;
  const lower = key.toLowerCase();
  if (WHOLE_KEYS.has(lower)) return true;
  for (const w of LONG_ENDINGS) if (lower.endsWith(w)) return true;
  for (const w of SHORT_ENDINGS) {
    if (!lower.endsWith(w)) continue;
    const at = key.length - w.length;
    if (at === 0) return true;
    const before = key[at - 1];
    if (before === '_' || before === '-' || before === '.') return true;
    // camelCase boundary: `dbPass`, `mysqlPwd`.
    const first = key[at];
    if (first >= 'A' && first <= 'Z' && before >= 'a' && before <= 'z') return true;
  }
  return false;
}

// A bare value ends at whitespace or a field delimiter (`password=x&user=y`, `{"token":x}`).
// NUL too: /proc/PID/cmdline dumps separate arguments with it (`serve\0--password=hunter2\0--api-key=…`).
const BARE_END = /[\s\x00-\x1f,;&}\])<>"']/;

function bareEnd(line: string, i: number): number {
  let j = i;
  while (j < line.length && !BARE_END.test(line[j])) j++;
  return j;
}

/** Index of the closing quote (escape-aware) from i, or -1 when the quote is left open. */
function closingQuote(line: string, i: number, q: string): number {
  let escaped = false;
  for (let j = i; j < line.length; j++) {
    const c = line[j];
    if (c === q && !escaped) return j;
    escaped = c === '\\' && !escaped;
  }
  return -1;
}

/**
 * Redacts the value that starts at i. A quoted value loses what is inside its quotes; an open
 * quote loses the rest of the line (sos: "preferring redaction to disclosure"). Returns the index
 * after the value.
 */
function redactValue(line: string, i: number, edits: LineEdits, kind: string): number {
  const c = line[i];
  if (c === '"' || c === "'") {
    const close = closingQuote(line, i + 1, c);
    const end = close < 0 ? line.length : close;
    if (end > i + 1) edits.add(i + 1, end, REDACTED, 'secrets', kind);
    return close < 0 ? line.length : close + 1;
  }
  const end = bareEnd(line, i);
  if (end > i) edits.add(i, end, REDACTED, 'secrets', kind);
  return end;
}

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

function kindOf(run: string): string {
  const l = run.toLowerCase();
  if (l.endsWith('token')) return 'token';
  if (l.includes('key')) return 'key';
  if (/pass|pwd|pw$/.test(l)) return 'password';
  return 'secret';
}

/** `KEY=v`, `KEY: v`, `"key": "v"`, `--flag=v` and `--flag v` (a dashed flag and the next word). */
function assignments(line: string, edits: LineEdits): void {
  KEY_RUN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = KEY_RUN.exec(line))) {
    const run = m[0];
    if (!isSecretKey(run)) continue;
    let i = m.index + run.length;
    // `"password": "x"`: the key's own closing quote.
    if ((line[i] === '"' || line[i] === "'") && line[m.index - 1] === line[i]) i++;
    let j = i;
    while (isSpace(line[j]) || line[j] === '\0') j++;
    let valueAt = -1;
    if (line[j] === '=' || line[j] === ':') {
      // `token://host` is a URL scheme, not an assignment; `a==b` a comparison.
      if (line[j] === ':' && line[j + 1] === '/' && line[j + 2] === '/') continue;
      if (line[j] === '=' && line[j + 1] === '=') continue;
      j++;
      while (isSpace(line[j])) j++;
      valueAt = j;
    } else if (j > i && run.startsWith('-')) {
      // `--password hunter2`; `mysql --password -h db` has no value (it prompts): keep `-h`.
      if (line[j] === '-' || j >= line.length) continue;
      valueAt = j;
    }
    if (valueAt < 0 || valueAt >= line.length) continue;
    // `KEY=-----BEGIN … PRIVATE KEY-----`: the PEM pass takes the whole block.
    if (line.startsWith('-----BEGIN', valueAt)) continue;
    const after = redactValue(line, valueAt, edits, kindOf(run));
    KEY_RUN.lastIndex = Math.max(KEY_RUN.lastIndex, after);
  }
}

// `Authorization: Bearer x`, `-H 'Authorization: token ghp_x'`, `Authorization=Basic x`.
const AUTH_HEADER = /\bAuthorization["']?[ \t]*[:=][ \t]*(?:(?:Bearer|Basic|Token|Digest|Negotiate|AWS4-HMAC-SHA256)[ \t]+)?([^\s\x00'"]+)/gi;
const BEARER = /\bBearer[ \t]+([A-Za-z0-9._~+/=-]+)/gi;
const JWT = /(?<![\w-])eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*(?![\w-])/g;
const AWS_KEY_ID = /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g;
// `postgres://app:hunter2@db:5432/x` → `postgres://app:<redacted>@db:5432/x`; a lone token as
// user (`https://ghp_xxx@github.com`) goes whole.
const URL_USERINFO = /\b[a-z][a-z0-9+.-]*:\/\/([^\s\x00/@<>"']+)@/gi;

// Short flags of tools whose password flag has no name: `mysql -uroot -pS3cret` (attached only:
// `mysql -p dbname` prompts and names a database), `sshpass -p S3cret`, `redis-cli -a S3cret`,
// `curl -u user:S3cret`.
const MYSQL_TOOL = /\b(?:mysql\w*|mariadb[\w-]*)\b/;
const MYSQL_P = /(?:^|[\s\x00])-p([^\s\x00]+)/g;
const SSHPASS_TOOL = /\bsshpass\b/;
const SSHPASS_P = /(?:^|[\s\x00])-p[ \t\x00]*([^\s\x00-][^\s\x00]*)/g;
const REDIS_TOOL = /\bredis-cli\b/;
const REDIS_A = /(?:^|[\s\x00])-a[ \t\x00]*([^\s\x00-][^\s\x00]*)/g;
const CURL_TOOL = /\bcurl\b/;
const CURL_U = /(?:^|[\s\x00])(?:-u|--user)(?:[ \t\x00]+|=)?[^\s\x00:]+:([^\s\x00]+)/g;

function byGroup(line: string, re: RegExp, edits: LineEdits, kind: string): void {
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) {
    const v = m[1];
    if (v === undefined || v === REDACTED) continue;
    const start = m.index + m[0].length - v.length;
    edits.add(start, start + v.length, REDACTED, 'secrets', kind);
  }
}

function whole(line: string, re: RegExp, edits: LineEdits, kind: string): void {
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) edits.add(m.index, m.index + m[0].length, REDACTED, 'secrets', kind);
}

/** Proposes the secret edits of one line. */
export function findSecrets(line: string, edits: LineEdits): void {
  if (!MAYBE.test(line)) return;
  // Assignments first: a JWT or AWS key inside `TOKEN=…` goes with the whole value.
  assignments(line, edits);
  byGroup(line, AUTH_HEADER, edits, 'authorization');
  byGroup(line, BEARER, edits, 'bearer');
  whole(line, JWT, edits, 'jwt');
  whole(line, AWS_KEY_ID, edits, 'aws-key');
  URL_USERINFO.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = URL_USERINFO.exec(line))) {
    const info = m[1];
    const start = m.index + m[0].length - 1 - info.length;
    const colon = info.indexOf(':');
    if (colon >= 0) {
      if (info.slice(colon + 1) !== REDACTED) edits.add(start + colon + 1, start + info.length, REDACTED, 'secrets', 'url-password');
    } else if (info !== REDACTED) {
      edits.add(start, start + info.length, REDACTED, 'secrets', 'url-credential');
    }
  }
  if (MYSQL_TOOL.test(line)) byGroup(line, MYSQL_P, edits, 'password');
  if (SSHPASS_TOOL.test(line)) byGroup(line, SSHPASS_P, edits, 'password');
  if (REDIS_TOOL.test(line)) byGroup(line, REDIS_A, edits, 'password');
  if (CURL_TOOL.test(line)) byGroup(line, CURL_U, edits, 'password');
}

/** `-----BEGIN RSA PRIVATE KEY-----` (also `ENCRYPTED PRIVATE KEY`, `OPENSSH PRIVATE KEY`). */
export const PEM_BEGIN = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY)-----/;
