// Big inputs for the bench, made from REAL sample rows: the rows of a captured `ps aux` / `ps -eLf`
// repeated with fresh PIDs (and, for ps -eLf, PPIDs pointing at earlier generated processes, so the
// graph has depth).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';

export type Kind = 'aux' | 'eLf';

const SOURCES: Record<Kind, string[]> = {
  aux: ['samples/ps-aux-host-thousands', 'samples/ps-aux', 'samples/baseline-quiet-host'],
  eLf: ['samples/ps-eLf', 'samples/ps-aux-host-thousands', 'samples/baseline-quiet-host'],
};

/** Header + data rows of the first real capture found for this kind. */
export function realRows(kind: Kind, root = process.cwd()): { header: string; rows: string[]; from: string } {
  const want = kind === 'aux' ? /^USER\s+PID\s+%CPU/ : /^UID\s+PID\s+PPID\s+LWP/;
  for (const dir of SOURCES[kind]) {
    const d = path.join(root, dir);
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d).filter((n) => n.endsWith('.txt'))) {
      const lines = readFileSync(path.join(d, f), 'utf8').split('\n');
      const h = lines.findIndex((l) => want.test(l));
      if (h < 0) continue;
      const rows = lines.slice(h + 1).filter((l) => /^\S+\s+\d+\s/.test(l));
      if (rows.length) return { header: lines[h], rows, from: path.join(dir, f) };
    }
  }
  throw new Error(`no real ${kind} sample found under samples/`);
}

/**
 * Puts `value` in token k of a row split with `split(/(\s+)/)` (values at even indexes), keeping
 * the value's right edge where it was: ps right-aligns numbers under their header.
 */
function setRight(tok: string[], k: number, value: string): void {
  const grow = value.length - tok[k].length;
  if (grow !== 0 && k > 0) tok[k - 1] = ' '.repeat(Math.max(1, tok[k - 1].length - grow));
  tok[k] = value;
}

/**
 * n rows: real rows cycled, PIDs renumbered. `ps aux`: one row a process. `ps -eLf`: a process
 * every 4 rows, its 4 threads sharing PID, PPID and command as real threads do (LWP renumbered,
 * NLWP 4); each process's parent is an earlier generated one (a tree 8 wide, so it has depth).
 */
export function generate(kind: Kind, n: number, root?: string): { text: string; from: string } {
  const { header, rows, from } = realRows(kind, root);
  const out: string[] = [header];
  let pid = 1000;
  if (kind === 'aux') {
    for (let i = 0; i < n; i++) {
      const tok = rows[i % rows.length].split(/(\s+)/);
      setRight(tok, 2, String(++pid));
      out.push(tok.join(''));
    }
  } else {
    // UID PID PPID LWP C NLWP …
    const pids: number[] = [];
    let tok: string[] = [];
    for (let i = 0; i < n; i++) {
      if (i % 4 === 0) {
        const k = pids.length;
        pid += 4;
        pids.push(pid);
        tok = rows[k % rows.length].split(/(\s+)/);
        setRight(tok, 2, String(pid));
        setRight(tok, 4, String(k === 0 ? 1 : pids[(k - 1) >> 3]));
        setRight(tok, 10, '4');
      }
      setRight(tok, 6, String(pid + (i % 4)));
      out.push(tok.join(''));
    }
  }
  return { text: out.join('\n') + '\n', from };
}
