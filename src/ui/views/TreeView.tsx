// Process tree: ps --forest made interactive. Virtualized (a fixed row height, only visible rows in
// the DOM) so 100k processes scroll smoothly; identical leaf siblings fold into `12× sleep`.
import { useVirtualizer } from '@tanstack/react-virtual';
import { lazy, memo, Suspense, useCallback, useContext, useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import type { Process } from '../../model/snapshot.ts';
import { ExportButtons } from '../components/ExportButtons.tsx';
import { StateBadge } from '../components/StateBadge.tsx';
import { ListKeysContext, useData, useNav } from '../context.ts';
import { hasState } from '../lib/filter.ts';
import { bySlot, useSlots } from '../lib/slots.ts';
import { isProblemState } from '../lib/states.ts';
import { allParents, flattenTree, isAdoptedByInit, lineFactsOf, type TreeRow } from '../lib/tree.ts';

const FocusTree = lazy(() => import('./FocusTree.tsx'));

const ROW = 22;
const INDENT = 14;
const MAX_INDENT_LEVELS = 40;
/** Rows rendered beyond each edge of the viewport (see TableView: rows trail a scroll by a frame). */
const OVERSCAN = 8;

/**
 * One process row. Memoised, with only stable props (the flattened row, the Process, numbers and
 * booleans) and no handlers of its own (clicks are handled once on the list), so a row that stays
 * on screen is not re-rendered, and one scrolled in reuses a recycled row's elements.
 */
const TreeProcRow = memo(function TreeProcRow({ row: r, p, start, selected, stateHit, findings, adopted }: {
  row: Extract<TreeRow, { kind: 'proc' }>; p: Process; start: number; selected: boolean; stateHit: boolean; findings: number; adopted: boolean;
}) {
  const depth = Math.min(r.depth, MAX_INDENT_LEVELS);
  const f = lineFactsOf(p);
  return (
    <div role="treeitem" aria-level={r.depth + 1} aria-selected={selected} aria-expanded={r.parent ? r.expanded : undefined}
      data-pid={r.pid}
      className={`tree-row${selected ? ' selected' : ''}${f.problem ? ' problem' : ''}${r.match ? '' : ' context'}${stateHit ? ' hit' : ''}`}
      style={{ transform: `translateY(${start}px)` }}>
      {/* Like ps --forest: state, PID and user stay in columns; only the command is indented. */}
      <StateBadge state={p.state} stat={p.stat} small />
      <span className="num pid">{p.pid}</span>
      <span className="user">{p.user ?? ''}</span>
      <span className="indent" style={{ width: depth * INDENT }}>{r.depth > MAX_INDENT_LEVELS ? <span className="deep">{r.depth}</span> : null}</span>
      {r.parent
        ? <button type="button" className="caret" data-toggle={r.pid} aria-label={r.expanded ? `Collapse ${r.pid}` : `Expand ${r.pid}`}>{r.expanded ? '▾' : '▸'}</button>
        : <span className="caret leaf">·</span>}
      <span className="cmd">{f.command || <span className="muted">?</span>}</span>
      {p.state === 'D' && p.wchan && <span className="tag wchan" title="wait channel">{p.wchan}</span>}
      {f.hidden.map((h) => (
        <span key={h.state} className="tag alarm" title="a thread is in this state while the process row shows another">thread {h.state}: {h.count}</span>
      ))}
      {p.threads.length > 1 && <span className="tag" title="threads shown in the input">{p.threads.length} thr</span>}
      {r.parent && <span className="tag subtree" title="processes in this subtree, itself included">{f.subtree}</span>}
      {f.foreignRoot && <span className="tag mark" title="PPID 0: entered from outside its PID namespace (nsenter, docker exec)">PPID 0</span>}
      {adopted && <span className="tag mark" title="an orphan: its parent exited and PID 1 adopted it (its session leader is gone, or the orphan-accumulation rule cites it)">adopted by 1</span>}
      {findings > 0 && <span className="tag finding" title="cited by findings">⚑ {findings}</span>}
    </div>
  );
});

export default function TreeView() {
  const { snapshot, byPid, match, findingsByPid } = useData();
  const nav = useNav();
  const keys = useContext(ListKeysContext);
  const [collapsed, setCollapsed] = useState<Set<number>>(() => new Set());
  const [openGroups, setOpenGroups] = useState<Set<string>>(() => new Set());
  const [compact, setCompact] = useState(true);
  const selected = nav.view.pid;

  const rows = useMemo(
    () => flattenTree(snapshot, byPid, { collapsed, openGroups, match, reveal: selected, compactAt: compact ? 2 : 0 }),
    [snapshot, byPid, collapsed, openGroups, match, selected, compact],
  );
  const selIndex = useMemo(() => rows.findIndex((r) => r.kind === 'proc' && r.pid === selected), [rows, selected]);

  const scroller = useRef<HTMLDivElement>(null);
  const virt = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: OVERSCAN, useFlushSync: false });

  useEffect(() => {
    if (selIndex >= 0) virt.scrollToIndex(selIndex, { align: 'auto' });
  }, [selIndex, virt]);

  const toggle = useCallback((pid: number, open?: boolean) => {
    setCollapsed((c) => {
      const n = new Set(c);
      const isOpen = !n.has(pid);
      if (open ?? !isOpen) n.delete(pid); else n.add(pid);
      return n;
    });
  }, []);

  const pick = useCallback((pid: number) => nav.select(pid, { open: true }), [nav]);

  const selectRow = useCallback((i: number) => {
    const r = rows[i];
    if (!r) return;
    nav.select(r.kind === 'proc' ? r.pid : r.pids[0]);
  }, [rows, nav]);

  useEffect(() => {
    keys.current = {
      move: (d) => selectRow(selIndex < 0 ? (d > 0 ? 0 : rows.length - 1) : Math.max(0, Math.min(rows.length - 1, selIndex + d))),
      open: () => { if (selected !== null) nav.select(selected, { open: true }); },
    };
    return () => { keys.current = null; };
  }, [keys, selectRow, selIndex, rows.length, selected, nav]);

  const items = virt.getVirtualItems();
  const slots = useSlots(items.length);
  // One click handler for every row: a caret toggles, a folded group unfolds, a process opens.
  const onRowsClick = useCallback((e: MouseEvent<HTMLDivElement>) => {
    const t = e.target as Element;
    const caret = t.closest<HTMLElement>('[data-toggle]');
    if (caret) { toggle(Number(caret.dataset.toggle)); return; }
    const row = t.closest<HTMLElement>('[role=treeitem]');
    if (!row) return;
    const group = row.dataset.group;
    if (group !== undefined) { setOpenGroups((g) => new Set(g).add(group)); return; }
    if (row.dataset.pid !== undefined) pick(Number(row.dataset.pid));
  }, [toggle, pick]);
  const focus = nav.view.focus && selected !== null && byPid.has(selected);
  const focusWrap = useRef<HTMLDivElement>(null);
  const save = useCallback(async (kind: 'svg' | 'png') => {
    const ex = await import('../export/index.ts');
    if (focus && selected !== null) {
      const svg = focusWrap.current?.querySelector<SVGSVGElement>('.focus-tree svg');
      if (!svg) throw new Error('the focus tree is still being drawn');
      await ex.exportFocusTree(svg, selected, snapshot, kind);
      return;
    }
    const filter = [nav.view.state ? `state ${nav.view.state}` : '', nav.view.q ? `search “${nav.view.q}”` : ''].filter(Boolean).join(', ');
    await ex.exportForest(rows, byPid, snapshot, filter, kind);
  }, [focus, selected, snapshot, rows, byPid, nav.view.state, nav.view.q]);
  const matchCount = useMemo(() => (match ? rows.reduce((n, r) => n + (r.kind === 'proc' ? (r.match ? 1 : 0) : r.pids.length), 0) : 0), [rows, match]);

  return (
    <section className="tree-view" aria-label="Process tree">
      <div className="toolbar">
        <button type="button" className="btn btn-small" onClick={() => setCollapsed(new Set())}>Expand all</button>
        <button type="button" className="btn btn-small" onClick={() => setCollapsed(allParents(snapshot))}>Collapse all</button>
        <label className="check"><input type="checkbox" checked={compact} onChange={(e) => setCompact(e.target.checked)} /> Fold identical siblings</label>
        <button type="button" className="btn btn-small" aria-pressed={nav.view.focus} disabled={selected === null}
          title="Draw the selected process's ancestors and descendants (f)" onClick={() => nav.update({ focus: !nav.view.focus })}>
          Focus
        </button>
        <span className="muted">
          {match ? `${matchCount.toLocaleString('en-US')} matching, shown with their ancestors` : `${snapshot.counts.processes.toLocaleString('en-US')} processes`}
          {' · '}{rows.length.toLocaleString('en-US')} rows
        </span>
        <span className="spacer" />
        <ExportButtons what={focus ? 'the focus tree' : 'the tree as shown'} save={save} />
      </div>
      {focus ? (
        <div ref={focusWrap} className="focus-wrap">
          <Suspense fallback={<div className="loading">Drawing…</div>}>
            <FocusTree pid={selected!} />
          </Suspense>
        </div>
      ) : (
        <div
          ref={scroller}
          className="tree-scroll"
          role="tree"
          aria-label="Processes by parent"
          tabIndex={0}
          onKeyDown={(e) => {
            if (selected === null) return;
            if (e.key === 'ArrowLeft') { e.preventDefault(); toggle(selected, false); }
            if (e.key === 'ArrowRight') { e.preventDefault(); toggle(selected, true); }
          }}
        >
          {rows.length === 0 && <p className="empty">No process matches {nav.view.state ? `state ${nav.view.state}` : ''}{nav.view.q ? ` “${nav.view.q}”` : ''}.</p>}
          <div className="tree-rows" onClick={onRowsClick} style={{ height: virt.getTotalSize() }}>
            {bySlot(items, slots).map((it) => {
              const r = rows[it.index];
              const key = it.index % slots;
              if (r.kind === 'group') {
                const depth = Math.min(r.depth, MAX_INDENT_LEVELS);
                return (
                  <div key={key} role="treeitem" aria-level={r.depth + 1} aria-selected={false} aria-expanded={false} data-group={r.key}
                    className={`tree-row group${isProblemState(r.state) ? ' problem' : ''}`} style={{ transform: `translateY(${it.start}px)` }}
                    title="identical siblings folded: click to unfold">
                    <StateBadge state={r.state} small />
                    <span className="num pid count-badge">{r.pids.length}×</span>
                    <span className="user" />
                    <span className="indent" style={{ width: depth * INDENT }} />
                    <span className="caret">▸</span>
                    <span className="cmd">{r.command || '?'}</span>
                    <span className="muted num">PIDs {r.pids[0]}…{r.pids[r.pids.length - 1]}</span>
                  </div>
                );
              }
              const p = byPid.get(r.pid)!;
              const cited = findingsByPid.get(r.pid);
              return (
                <TreeProcRow key={key} row={r} p={p} start={it.start} selected={r.pid === selected}
                  stateHit={nav.view.state ? hasState(p, nav.view.state) : false}
                  findings={cited?.length ?? 0} adopted={isAdoptedByInit(p, byPid) || (p.ppid === 1 && !!cited?.some((f) => f.rule === 'orphan-accumulation'))} />
              );
            })}
          </div>
        </div>
      )}
    </section>
  );
}
