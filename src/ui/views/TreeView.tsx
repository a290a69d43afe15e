// Process tree: ps --forest made interactive. Virtualized (a fixed row height, only visible rows in
// the DOM) so 100k processes scroll smoothly; identical leaf siblings fold into `12× sleep`.
import { useVirtualizer } from '@tanstack/react-virtual';
import { lazy, memo, Suspense, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { Process } from '../../model/snapshot.ts';
import { ExportButtons } from '../components/ExportButtons.tsx';
import { StateBadge } from '../components/StateBadge.tsx';
import { ListKeysContext, useData, useNav } from '../context.ts';
import { commandOf, hasState } from '../lib/filter.ts';
import { isProblemState } from '../lib/states.ts';
import { allParents, flattenTree, isAdoptedByInit, isForeignRoot, type TreeRow } from '../lib/tree.ts';

const FocusTree = lazy(() => import('./FocusTree.tsx'));

const ROW = 22;
const INDENT = 14;
const MAX_INDENT_LEVELS = 40;

function hiddenThreadStates(p: Process): string[] {
  const out = new Set<string>();
  for (const t of p.threads) if (t.state && t.state !== p.state && isProblemState(t.state)) out.add(t.state);
  return [...out];
}

/** What follows the tree art: the command and its tags. */
function ProcLine({ p, row, findings, adopted }: { p: Process; row: Extract<TreeRow, { kind: 'proc' }>; findings: number; adopted: boolean }) {
  const hidden = hiddenThreadStates(p);
  return (
    <>
      <span className="cmd">{commandOf(p) || <span className="muted">?</span>}</span>
      {p.state === 'D' && p.wchan && <span className="tag wchan" title="wait channel">{p.wchan}</span>}
      {hidden.map((s) => (
        <span key={s} className="tag alarm" title="a thread is in this state while the process row shows another">thread {s}: {p.threads.filter((t) => t.state === s).length}</span>
      ))}
      {p.threads.length > 1 && <span className="tag" title="threads shown in the input">{p.threads.length} thr</span>}
      {row.parent && <span className="tag subtree" title="processes in this subtree, itself included">{p.subtreeSize.toLocaleString('en-US')}</span>}
      {isForeignRoot(p) && <span className="tag mark" title="PPID 0: entered from outside its PID namespace (nsenter, docker exec)">PPID 0</span>}
      {adopted && <span className="tag mark" title="an orphan: its parent exited and PID 1 adopted it (its session leader is gone, or the orphan-accumulation rule cites it)">adopted by 1</span>}
      {findings > 0 && <span className="tag finding" title="cited by findings">⚑ {findings}</span>}
    </>
  );
}

/** One process row; memoised so rows that stay on screen while scrolling are not re-rendered. */
const TreeProcRow = memo(function TreeProcRow({ row: r, p, start, selected, stateHit, findings, adopted, onToggle, onPick }: {
  row: Extract<TreeRow, { kind: 'proc' }>; p: Process; start: number; selected: boolean; stateHit: boolean; findings: number; adopted: boolean;
  onToggle(pid: number): void; onPick(pid: number): void;
}) {
  const depth = Math.min(r.depth, MAX_INDENT_LEVELS);
  return (
    <div role="treeitem" aria-level={r.depth + 1} aria-selected={selected} aria-expanded={r.parent ? r.expanded : undefined}
      data-pid={r.pid}
      className={`tree-row${selected ? ' selected' : ''}${isProblemState(p.state) || hiddenThreadStates(p).length ? ' problem' : ''}${r.match ? '' : ' context'}${stateHit ? ' hit' : ''}`}
      style={{ transform: `translateY(${start}px)`, height: ROW }}
      onClick={() => onPick(r.pid)}>
      {/* Like ps --forest: state, PID and user stay in columns; only the command is indented. */}
      <StateBadge state={p.state} stat={p.stat} small />
      <span className="num pid">{p.pid}</span>
      <span className="user">{p.user ?? ''}</span>
      <span className="indent" style={{ width: depth * INDENT }}>{r.depth > MAX_INDENT_LEVELS ? <span className="deep">{r.depth}</span> : null}</span>
      {r.parent
        ? <button type="button" className="caret" aria-label={r.expanded ? `Collapse ${r.pid}` : `Expand ${r.pid}`} onClick={(e) => { e.stopPropagation(); onToggle(r.pid); }}>{r.expanded ? '▾' : '▸'}</button>
        : <span className="caret leaf">·</span>}
      <ProcLine p={p} row={r} findings={findings} adopted={adopted} />
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
  const virt = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 6, useFlushSync: false });

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
          <div style={{ height: virt.getTotalSize(), position: 'relative' }}>
            {items.map((it) => {
              const r = rows[it.index];
              const depth = Math.min(r.depth, MAX_INDENT_LEVELS);
              const style = { transform: `translateY(${it.start}px)`, height: ROW };
              if (r.kind === 'group') {
                return (
                  <div key={`g:${r.key}`} role="treeitem" aria-level={r.depth + 1} aria-selected={false} aria-expanded={false}
                    className={`tree-row group${isProblemState(r.state) ? ' problem' : ''}`} style={style}
                    onClick={() => setOpenGroups((g) => new Set(g).add(r.key))}
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
              return (
                <TreeProcRow key={r.pid} row={r} p={p} start={it.start} selected={r.pid === selected}
                  stateHit={nav.view.state ? hasState(p, nav.view.state) : false}
                  findings={findingsByPid.get(r.pid)?.length ?? 0} adopted={isAdoptedByInit(p, byPid) || (p.ppid === 1 && !!findingsByPid.get(r.pid)?.some((f) => f.rule === 'orphan-accumulation'))} onToggle={toggle} onPick={pick} />
              );
            })}
          </div>
        </div>
      )}
    </section>
  );
}
