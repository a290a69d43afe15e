// Cleanup before parsing (after pev2's cleanupSource): strip what pasting adds, keep one output
// line per input line so every warning and every field can name the line it came from.

// ANSI CSI/OSC sequences from `top` or a coloured `grep`: `\x1b[1mtop\x1b[m\x1b[39;49m`.
const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;
// Other control bytes except tab (kept: /proc status is `Key:\tvalue`). `\r` goes with CRLF.
// NUL is the argument separator of /proc/PID/cmdline (`sleep\x00100002\x00`): it becomes a space
// so argument boundaries survive, as ps prints them.
const CONTROL = /[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]/g;

/**
 * Splits text into lines and cleans each one in place:
 * - CRLF and lone CR, a UTF-8 BOM, ANSI colour sequences, stray control bytes;
 * - chat/email quoting (`> ` on most non-blank lines) is removed from every quoted line;
 * - quoted-printable soft breaks (`sec=` + `onds`) are rejoined into the first line and the
 *   continuation line is left blank, so line numbers stay true.
 * Returns the lines and whether quoting was stripped.
 */
export function cleanupLines(text: string): string[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // Whole-text passes first: one native scan each instead of a regex per line (1M-line pastes).
  if (text.includes('\x1b')) text = text.replace(ANSI, '');
  if (text.includes('\x00')) text = text.replace(/\x00+(?=\r?\n|$)/g, '').replace(/\x00/g, ' ');
  CONTROL.lastIndex = 0;
  if (CONTROL.test(text)) { CONTROL.lastIndex = 0; text = text.replace(CONTROL, ''); }
  // A plain '\n' split is twice as fast as the regex one: take it when there is no CR at all.
  const lines = text.includes('\r') ? text.split(/\r?\n|\r/) : text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  let quoted = 0;
  let nonBlank = 0;
  let qpBreaks = 0;
  for (let i = 0; i < lines.length; i++) {
    const s = lines[i];
    // Quoting and soft breaks can only start/end a line with these characters: check cheaply.
    let c = 0;
    let k = 0;
    while (k < s.length && k < 4 && ((c = s.charCodeAt(k)) === 32 || c === 9)) k++;
    if (k === s.length) continue;
    nonBlank++;
    if (c === 62 /* > */ && /^\s{0,3}>(?:\s|$)/.test(s)) quoted++;
    if (s.charCodeAt(s.length - 1) === 61 /* = */ && !s.endsWith('==')) qpBreaks++;
  }
  if (nonBlank > 0 && quoted / nonBlank >= 0.6) {
    for (let i = 0; i < lines.length; i++) lines[i] = lines[i].replace(/^\s{0,3}(?:>\s?)+/, '');
  }
  // Quoted-printable only when it is clearly a mail body: several soft breaks and =XX escapes.
  if (qpBreaks >= 2 && lines.some((l) => /=[0-9A-F]{2}/.test(l))) {
    for (let i = 0; i < lines.length - 1; i++) {
      while (lines[i].endsWith('=') && !lines[i].endsWith('==') && i + 1 < lines.length) {
        lines[i] = lines[i].slice(0, -1) + lines[i + 1];
        lines[i + 1] = '';
      }
      lines[i] = lines[i].replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    }
  }
  return lines;
}
