// Big inputs for the bench, made from REAL sample rows: the rows of a captured `ps aux` / `ps -eLf`
// repeated with fresh PIDs (and PPIDs pointing at earlier generated processes, so the graph has depth).
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

/** n rows: real rows cycled, PID (and LWP) renumbered, PPID set to an earlier PID. */
export function generate(kind: Kind, n: number, root?: string): { text: string; from: string } {
  const { header, rows, from } = realRows(kind, root);
  const out: string[] = [header];
  let pid = 1000;
  let lastPid = 1;
  for (let i = 0; i < n; i++) {
    const src = rows[i % rows.length];
    const tok = src.split(/(\s+)/); // keep the spacing: tokens at even indexes
    if (kind === 'aux') {
      tok[2] = String(++pid);
    } else {
      // UID PID PPID LWP C NLWP …: threads of one process share its PID; a new process every 4 rows.
      if (i % 4 === 0) { lastPid = pid; pid += 4; }
      tok[2] = String(pid);
      tok[4] = String(i % 4 === 0 ? Math.max(1, lastPid) : 1);
      tok[6] = String(pid + (i % 4));
      tok[10] = '4';
    }
    out.push(tok.join(''));
  }
  return { text: out.join('\n') + '\n', from };
}
