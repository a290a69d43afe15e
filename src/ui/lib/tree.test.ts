import { describe, expect, it } from 'vitest';
import { makeMatcher } from './filter.ts';
import { allSampleIds, expectedOf, latest } from './samples.testutil.ts';
import { ancestorsOf, DEFAULT_TREE_OPTIONS, flattenTree, indexOf, isForeignRoot, lineFactsOf, type GroupRow, type ProcRow } from './tree.ts';

const procRows = (rows: ReturnType<typeof flattenTree>) => rows.filter((r): r is ProcRow => r.kind === 'proc');
const groupRows = (rows: ReturnType<typeof flattenTree>) => rows.filter((r): r is GroupRow => r.kind === 'group');

describe('process tree rows', () => {
  it('shows every process of every sample exactly once, folded or not', () => {
    for (const id of allSampleIds()) {
      const s = latest(id);
      if (!s) continue;
      const byPid = indexOf(s);
      for (const compactAt of [0, 2]) {
        const rows = flattenTree(s, byPid, { ...DEFAULT_TREE_OPTIONS, compactAt });
        const seen = [...procRows(rows).map((r) => r.pid), ...groupRows(rows).flatMap((g) => g.pids)].sort((a, b) => a - b);
        expect(seen, `${id} compactAt=${compactAt}`).toEqual(s.processes.map((p) => p.pid));
      }
    }
  });

  it('places each process under its parent by PPID, never by printed indentation', () => {
    const s = latest('ps-ef-forest');
    const byPid = indexOf(s);
    const rows = procRows(flattenTree(s, byPid, { ...DEFAULT_TREE_OPTIONS, compactAt: 0 }));
    const stack: number[] = [];
    for (const r of rows) {
      stack.length = r.depth;
      const p = byPid.get(r.pid)!;
      if (r.depth > 0) expect(p.ppid, `parent of ${r.pid}`).toBe(stack[r.depth - 1]);
      stack.push(r.pid);
    }
  });

  it("folds a D parent's twelve defunct children into one `12×` row", () => {
    const [cause, ...zombies] = expectedOf('d-parent-zombies').findings[0].pids;
    const s = latest('d-parent-zombies');
    const groups = groupRows(flattenTree(s, indexOf(s), DEFAULT_TREE_OPTIONS));
    const g = groups.find((x) => x.parentPid === cause);
    expect(g?.pids).toEqual(zombies);
    expect(g?.state).toBe('Z');
  });

  it('unfolds a group the user opened, and keeps a selected member out of its group', () => {
    const [cause, ...zombies] = expectedOf('d-parent-zombies').findings[0].pids;
    const s = latest('d-parent-zombies');
    const byPid = indexOf(s);
    const key = groupRows(flattenTree(s, byPid, DEFAULT_TREE_OPTIONS)).find((g) => g.parentPid === cause)!.key;
    const opened = flattenTree(s, byPid, { ...DEFAULT_TREE_OPTIONS, openGroups: new Set([key]) });
    expect(procRows(opened).map((r) => r.pid)).toEqual(expect.arrayContaining(zombies));

    const revealed = flattenTree(s, byPid, { ...DEFAULT_TREE_OPTIONS, reveal: zombies[3] });
    expect(procRows(revealed).some((r) => r.pid === zombies[3])).toBe(true);
    expect(groupRows(revealed).find((g) => g.parentPid === cause)?.pids).not.toContain(zombies[3]);
  });

  it('hides a collapsed subtree but opens the path to the selection', () => {
    const [cause, ...zombies] = expectedOf('d-parent-zombies').findings[0].pids;
    const s = latest('d-parent-zombies');
    const byPid = indexOf(s);
    const collapsed = flattenTree(s, byPid, { ...DEFAULT_TREE_OPTIONS, collapsed: new Set([cause]) });
    expect(procRows(collapsed).find((r) => r.pid === cause)?.expanded).toBe(false);
    expect(groupRows(collapsed).length + procRows(collapsed).filter((r) => zombies.includes(r.pid)).length).toBe(0);

    const revealed = flattenTree(s, byPid, { ...DEFAULT_TREE_OPTIONS, collapsed: new Set([cause]), reveal: zombies[0] });
    expect(procRows(revealed).some((r) => r.pid === zombies[0])).toBe(true);
  });

  it('keeps filter matches with their ancestors, the ancestors marked as context', () => {
    const [cause, ...zombies] = expectedOf('d-parent-zombies').findings[0].pids;
    const s = latest('d-parent-zombies');
    const byPid = indexOf(s);
    const rows = flattenTree(s, byPid, { ...DEFAULT_TREE_OPTIONS, compactAt: 0, match: makeMatcher({ q: '', state: 'Z' }) });
    const shown = procRows(rows);
    expect(shown.filter((r) => r.match).map((r) => r.pid).sort((a, b) => a - b)).toEqual(zombies);
    const context = shown.filter((r) => !r.match).map((r) => r.pid);
    expect(context).toContain(cause);
    for (const a of ancestorsOf(cause, byPid)) expect(context).toContain(a.pid);
  });

  it('marks the nsenter shell with PPID 0 as entered from outside, not PID 1', () => {
    const s = latest('ps-ef');
    const byPid = indexOf(s);
    expect(isForeignRoot(byPid.get(48)!)).toBe(true);
    expect(isForeignRoot(byPid.get(1)!)).toBe(false);
    expect(ancestorsOf(49, byPid).map((p) => p.pid)).toEqual([48]);
  });
});

describe('tree line facts', () => {
  it('keeps a D thread visible behind an Ssl process row', () => {
    // samples/d-thread-behind-ssl: app-server (7) is Ssl; its thread io-reader is in D.
    const p = latest('d-thread-behind-ssl').processes.find((x) => x.pid === 7)!;
    expect(p.state).toBe('S');
    const f = lineFactsOf(p);
    expect(f.hidden).toEqual([{ state: 'D', count: p.threads.filter((t) => t.state === 'D').length }]);
    expect(f.problem).toBe(true);
  });

  it('prints the subtree size with thousands separators and marks a calm row as no problem', () => {
    const s = latest('ps-ef');
    const init = s.processes.find((x) => x.pid === 1)!;
    const f = lineFactsOf(init);
    expect(f.subtree).toBe(init.subtreeSize.toLocaleString('en-US'));
    expect(f.problem).toBe(false);
    expect(f.foreignRoot).toBe(false);
    expect(lineFactsOf(init)).toBe(f);
  });
});
