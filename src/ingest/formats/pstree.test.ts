import { describe, expect, it } from 'vitest';
import { pstree } from './pstree.ts';
import { fixture, neverThrows, rowsOf, runParser } from './__fixtures__/run-parser.ts';
import { ingest } from '../index.ts';

const F = (name: string) => fixture('pstree', name);
const proc = (rows: ReturnType<typeof rowsOf>, pid: number) => rows.find((r) => r.pid === pid && r.kind === 'process');
const thread = (rows: ReturnType<typeof rowsOf>, tid: number) => rows.find((r) => r.kind === 'thread' && r.tid === tid);
/** `pid<-ppid` for every process row, in order: the tree as pstree drew it. */
const edges = (rows: ReturnType<typeof rowsOf>) => rows.filter((r) => r.kind === 'process').map((r) => `${r.pid}<-${r.ppid ?? '?'}`);

// formats.md §2, the two columns of the pstree block, verbatim.
const REFERENCE_P = `sleep(1)-+-a) (b c) R 1 2(4)
         |-fix(2)-+-{fix}(16)
         |        \`-{fix}(20)
         |-runuser(10)---sleep(21)
`;
const REFERENCE_U = `bash(78)─┬─bash(79)───sleep(82)
         ├─bash(80)───sh(83)───sleep(84)
         └─sleep(81)
`;

describe('pstree -p', () => {
  it('takes parentage from the ASCII drawing of the reference excerpt (§2)', () => {
    const run = runParser(pstree, REFERENCE_P);
    const rows = rowsOf(run);
    expect(edges(rows)).toEqual(['1<-?', '4<-1', '2<-1', '10<-1', '21<-10']);
    expect(proc(rows, 4)).toMatchObject({ comm: 'a) (b c) R 1 2', depth: 1 });
    expect(proc(rows, 21)).toMatchObject({ comm: 'sleep', depth: 2 });
    expect(run.warnings).toEqual([]);
  });

  it('§6.16 reads box drawing (-U) the same way as ASCII (§2 reference)', () => {
    const rows = rowsOf(runParser(pstree, REFERENCE_U));
    expect(edges(rows)).toEqual(['78<-?', '79<-78', '82<-79', '80<-78', '83<-80', '84<-83', '81<-78']);
    expect(proc(rows, 84)?.depth).toBe(3);
  });

  it('§6.9 pstree {thread}(tid): threads become thread rows of the process they hang from', () => {
    const rows = rowsOf(runParser(pstree, REFERENCE_P));
    expect(thread(rows, 16)).toMatchObject({ kind: 'thread', pid: 2, tid: 16, comm: 'fix' });
    expect(thread(rows, 20)).toMatchObject({ pid: 2, tid: 20 });
    expect(thread(rows, 20)?.ppid).toBeUndefined();
  });

  it('gives the same tree for pstree -p, -lp and -U -p of one moment', () => {
    const p = rowsOf(runParser(pstree, F('pstree-p.txt')));
    const u = rowsOf(runParser(pstree, F('pstree-U-p.txt')));
    const l = rowsOf(runParser(pstree, F('pstree-lp.txt')));
    const strip = (rows: typeof p) => edges(rows).filter((e) => !/^4[1-4]</.test(e)); // pstree's own PID differs
    expect(strip(u)).toEqual(strip(p));
    expect(strip(l)).toEqual(strip(p));
    expect(p).toHaveLength(27);
    expect(proc(p, 25)).toMatchObject({ ppid: 23, depth: 2, comm: 'sleep' });
    expect(proc(p, 7)).toMatchObject({ ppid: 4, comm: 'fix' }); // a zombie: -p alone does not mark it
    expect(thread(u, 20)).toMatchObject({ pid: 17 });
  });

  it('keeps the thread names of -t (`{worker-1}(6)`)', () => {
    const rows = rowsOf(runParser(pstree, F('pstree-pt.txt')));
    expect(thread(rows, 6)).toMatchObject({ pid: 2, comm: 'worker-1' });
    expect(thread(rows, 7)).toMatchObject({ pid: 2, comm: 'worker-2' });
  });

  it('reads a 10-deep chain on one line (-lp) with depth from the drawing', () => {
    const rows = rowsOf(runParser(pstree, F('pstree-lp-long-chain.txt')));
    expect(proc(rows, 24)).toMatchObject({ ppid: 23, depth: 10, comm: 'exe' });
    expect(proc(rows, 11)).toMatchObject({ ppid: 1, depth: 1, comm: 'a-long-name-xx' });
  });

  it('reads `name(pid,user)` (-u) and `name(pid,)` (-g outside the namespace)', () => {
    expect(proc(rowsOf(runParser(pstree, F('pstree-pu.txt'))), 17)).toMatchObject({ ppid: 12, comm: 'sleep' });
    expect(proc(rowsOf(runParser(pstree, F('pstree-pg.txt'))), 23)).toMatchObject({ ppid: 22, comm: 'exe' });
  });

  it('§6.11 warns when a line cut with `+` at the output width loses a node (`exe(2+`)', () => {
    const run = runParser(pstree, F('pstree-pg.txt'));
    const rows = rowsOf(run);
    expect(proc(rows, 24)).toBeUndefined();
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0].line).toBe(1);
    expect(run.warnings[0].message).toMatch(/exe\(2".*pstree -l/);
  });

  it('§6.11 marks the last node of a cut line as truncated when its PID survived', () => {
    const cut = 'init(1)---bash(200)---verylongname(3000+';
    const ok = 'init(1)---bash(200)-+';
    expect(rowsOf(runParser(pstree, ok)).at(-1)).toMatchObject({ pid: 200, truncated: true });
    const run = runParser(pstree, cut);
    expect(rowsOf(run).map((r) => r.pid)).toEqual([1, 200]);
    expect(run.warnings).toHaveLength(1);
  });
});

describe('pstree -ap', () => {
  it('reads `comm,pid args`, threads `{fix},6` and zombies `(fix,7)`', () => {
    const run = runParser(pstree, F('pstree-ap.txt'));
    const rows = rowsOf(run);
    expect(run.captures[0].variant).toBe('-ap');
    expect(proc(rows, 3)).toMatchObject({ comm: 'a) (b c) R 1 2', args: 'a) (b c) R 1 2 weird', ppid: 1, depth: 1 });
    expect(proc(rows, 25)).toMatchObject({ comm: 'sleep', args: 'sleep 100008', ppid: 23, depth: 2 });
    expect(thread(rows, 6)).toMatchObject({ pid: 2, comm: 'fix' });
    expect(run.warnings).toEqual([]);
  });

  it('§6.9 pstree (zombie,pid) marks the zombie Z under its parent', () => {
    const rows = rowsOf(runParser(pstree, F('pstree-ap.txt')));
    expect(proc(rows, 7)).toMatchObject({ state: 'Z', ppid: 4, comm: 'fix' });
    expect(proc(rows, 21)).toMatchObject({ state: 'Z', ppid: 5 });
    expect(proc(rows, 27)).toMatchObject({ ppid: 5, args: 'vfork_dparent 2 /tmp/psfix/vf.pids 3600' });
    expect(proc(rows, 27)?.state).toBeUndefined();
  });

  it('§6.16 decodes pstree\'s \\011/\\012 escapes in arguments', () => {
    const rows = rowsOf(runParser(pstree, F('pstree-ap.txt')));
    expect(proc(rows, 15)?.args).toBe('perl -e sleep 100007 -- arg with spaces tab\there new\nline');
  });

  it('§6.16 reads -U -ap box drawing like ASCII -ap', () => {
    const a = rowsOf(runParser(pstree, F('pstree-ap.txt')));
    const u = rowsOf(runParser(pstree, F('pstree-U-ap.txt')));
    const strip = (rows: typeof a) => edges(rows).filter((e) => !/^4[28]</.test(e));
    expect(strip(u)).toEqual(strip(a));
  });

  it('reads deep -ap indentation (`      |-`) into depth and parent', () => {
    const rows = rowsOf(runParser(pstree, F('pstree-ap-long-chain.txt')));
    expect(proc(rows, 24)).toMatchObject({ ppid: 23, depth: 10, args: 'exe chain 0' });
    expect(proc(rows, 25)).toMatchObject({ ppid: 4, depth: 2 });
  });
});

describe('pstree without -p', () => {
  it('§6.9 pstree 2*[x] merged siblings: no PIDs, one clear warning, the tree kept in notes', () => {
    const run = runParser(pstree, F('pstree.txt'));
    expect(run.captures).toHaveLength(1);
    expect(run.captures[0].rows).toEqual([]);
    expect(run.captures[0].variant).toBe('no-pids');
    expect(run.captures[0].meta?.notes?.pstree).toContain('2*[fix---2*[{fix}]]');
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0].message).toMatch(/pstree without -p has no PIDs.*pstree -p/);
  });

  it('does the same for -U and -a output without PIDs', () => {
    for (const name of ['pstree-U.txt', 'pstree-a.txt']) {
      const run = runParser(pstree, F(name));
      expect(run.captures).toHaveLength(1);
      expect(run.captures[0].rows).toEqual([]);
      expect(run.warnings).toHaveLength(1);
      expect(run.warnings[0].line).toBe(1);
    }
  });
});

describe('pstree sniffing and limits', () => {
  it('claims pstree output and not ps forest, busybox or systemd-cgls-like text', () => {
    const s = (text: string) => { const l = text.split('\n'); return pstree.sniff(l, 0, { fileName: '' }); };
    expect(s(REFERENCE_P)).toBeGreaterThanOrEqual(0.9);
    expect(s(REFERENCE_U)).toBeGreaterThanOrEqual(0.9);
    expect(s(F('pstree-ap.txt'))).toBeGreaterThanOrEqual(0.9);
    expect(s(F('pstree.txt'))).toBeGreaterThan(0.5);
    expect(s('    PID    PPID COMMAND\n     78       0 bash\n     79      78  \\_ bash')).toBe(0);
    expect(s('     79      78  \\_ bash\n     82      79  |   \\_ sleep')).toBe(0);
    expect(s('PID   USER     COMMAND\n    1 root     init')).toBe(0);
    expect(s('-.slice\n├─user.slice\n│ └─user-0.slice')).toBe(0);
  });

  it('ends the section at a blank line or a prompt', () => {
    const lines = `${REFERENCE_U}\n$ ps aux\n`.split('\n');
    const res = pstree.parse(lines, 0, { input: 't', hint: { fileName: '' }, warn: () => {} });
    expect(res.end).toBe(3);
    const lines2 = `${REFERENCE_U}$ ps aux\n`.split('\n');
    expect(pstree.parse(lines2, 0, { input: 't', hint: { fileName: '' }, warn: () => {} }).end).toBe(3);
  });
});

describe('pstree through the ingest driver', () => {
  it.each(['pstree-p.txt', 'pstree-ap.txt', 'pstree-U-p.txt', 'pstree-U-ap.txt', 'pstree-lp-long-chain.txt', 'pstree.txt'])('%s is read as pstree by sniffing alone, and the same with its file name', (name) => {
    const text = fixture('pstree', name);
    const pasted = ingest([{ name: '', text }]);
    const named = ingest([{ name, text }]);
    expect(pasted.errors).toEqual([]);
    expect(pasted.inputs[0].sections.map((x) => x.format)).toEqual(pasted.inputs[0].sections.map(() => 'pstree'));
    expect(pasted.inputs[0].sections.length).toBeGreaterThan(0);
    expect(named.captures.map((c) => c.rows)).toEqual(pasted.captures.map((c) => c.rows));
  });
});

describe('pstree on damaged input', () => {
  it('never throws and always returns valid captures on shuffled, cut and spliced real lines', async () => {
    const { readdirSync } = await import('node:fs');
    const path = await import('node:path');
    const dir = path.join(path.dirname(new URL(import.meta.url).pathname), '__fixtures__', 'pstree');
    const texts = readdirSync(dir).map((f) => fixture('pstree', f));
    await neverThrows(pstree, texts);
  });
});
