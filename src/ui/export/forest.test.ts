import { describe, expect, it } from 'vitest';
import { DEFAULT_TREE_OPTIONS, flattenTree, indexOf } from '../lib/tree.ts';
import { latest } from '../lib/samples.testutil.ts';
import { FOREST, forestLayout } from './forest.ts';

// samples/d-parent-zombies: bash (1) → postgres (3, D in kernel_clone) → 12 zombie sh + postgres (17).
const snap = latest('d-parent-zombies');
const byPid = indexOf(snap);

describe('forestLayout', () => {
  it('lays out the rows the tree view shows, folded siblings as one `12×` line', () => {
    const rows = flattenTree(snap, byPid, DEFAULT_TREE_OPTIONS);
    const l = forestLayout(rows, byPid);
    expect(l.lines.map((x) => x.pid)).toEqual(rows.map((r) => (r.kind === 'proc' ? String(r.pid) : `${r.pids.length}×`)));
    const group = l.lines.find((x) => x.pid === '12×')!;
    expect(group.command).toBe('[sh] <defunct>');
    expect(group.state).toBe('Z');
    expect(group.tags).toEqual(['PIDs 5…16']);
  });

  it('marks a D task with its wait channel and indents children under their parent', () => {
    const l = forestLayout(flattenTree(snap, byPid, DEFAULT_TREE_OPTIONS), byPid);
    const bash = l.lines.find((x) => x.pid === '1')!;
    const pg = l.lines.find((x) => x.pid === '3')!;
    expect(pg.tags).toContain('kernel_clone');
    expect(pg.problem).toBe(true);
    expect(pg.dotX - bash.dotX).toBe(FOREST.indent);
    // An elbow from bash's dot down to postgres's row.
    expect(l.links).toContain(`M${bash.dotX},${bash.y + 4}V${pg.y}H${pg.dotX - 4}`);
  });

  it('says how many processes a collapsed parent hides', () => {
    const l = forestLayout(flattenTree(snap, byPid, { ...DEFAULT_TREE_OPTIONS, collapsed: new Set([3]) }), byPid);
    expect(l.lines.find((x) => x.pid === '3')!.tags).toContain(`▸ ${byPid.get(3)!.subtreeSize - 1} below`);
    expect(l.lines.some((x) => x.pid === '12×')).toBe(false);
  });

  it('draws at most maxRows rows and counts the rest, so a 100k tree stays a drawable size', () => {
    const rows = flattenTree(snap, byPid, { ...DEFAULT_TREE_OPTIONS, compactAt: 0 });
    const l = forestLayout(rows, byPid, 5);
    expect(l.lines).toHaveLength(5);
    expect(l.more).toBe(rows.length - 5);
    expect(l.height).toBe(FOREST.top + 5 * FOREST.rowHeight + 2 * FOREST.rowHeight);
  });

  it('grows wide enough for the longest command line', () => {
    const l = forestLayout(flattenTree(snap, byPid, DEFAULT_TREE_OPTIONS), byPid);
    for (const x of l.lines) expect(x.textX + x.command.length * FOREST.charWidth).toBeLessThanOrEqual(l.width);
  });
});
