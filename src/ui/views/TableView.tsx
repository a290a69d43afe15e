// Process table: @tanstack/react-table (sorting, per-column filters, column visibility, grouping)
// over the processes the search and state filter let through, with virtualized rows.
import {
  getCoreRowModel, getExpandedRowModel, getFilteredRowModel, getGroupedRowModel, getSortedRowModel,
  useReactTable, type ColumnDef, type ColumnFiltersState, type ExpandedState, type GroupingState,
  type Row, type SortingState, type Table, type VisibilityState,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useContext, useEffect, useMemo, useRef, useState, type CSSProperties, type MouseEvent } from 'react';
import type { Process } from '../../model/snapshot.ts';
import { StateBadge } from '../components/StateBadge.tsx';
import { ListKeysContext, useData, useNav } from '../context.ts';
import { bySlot, useSlots } from '../lib/slots.ts';
import { isProblemState } from '../lib/states.ts';
import { CellTexts, cellMatches, columnsFor, stateRank } from './tableColumns.ts';
import { stateInfo } from '../lib/states.ts';

const ROW = 22;
/**
 * Rows rendered beyond each edge of the viewport. Rows render after the scroll event (no
 * flushSync), so they trail a scroll by a frame; overscan covers that gap. With recycled rows an
 * extra row costs little: in a 8,000 px/s wheel scroll of 100k rows, 2 / 4 / 8 rows gave about
 * 9.5 / 9.8 / 11 ms of main-thread CPU a frame and blank rows in ~85% / ~45% / ~20% of frames.
 */
const OVERSCAN = 8;
const GROUPS: { id: string; label: string }[] = [
  { id: '', label: 'nothing' }, { id: 'state', label: 'state' }, { id: 'user', label: 'user' },
  { id: 'comm', label: 'command' }, { id: 'ppid', label: 'parent' },
];

/**
 * A visible column as the rows draw it: its id, its cell's class and its fixed width (the
 * command column grows into the rest), computed once per column set. Rows are flex lines of
 * fixed-width cells: laying out a scrolled-in row costs less than a per-row grid.
 */
interface RowCol { id: string; cls: string; style: CSSProperties }

/**
 * One process row. Memoised, and given only stable props (the Process, the shared column list
 * and text cache, numbers and booleans): a row that stays on screen while scrolling is not
 * re-rendered. No per-row handlers: clicks are handled once on the row group. Its size, grid
 * and width come from the stylesheet and the row group's custom properties, so a row's only
 * own style is its position.
 */
const ProcRow = memo(function ProcRow({ index, p, start, cols, texts, nested, selected, flagged }: {
  index: number; p: Process; start: number; cols: readonly RowCol[]; texts: CellTexts; nested: boolean; selected: boolean; flagged: boolean;
}) {
  return (
    <div role="row" aria-rowindex={index + 3} aria-selected={selected} data-pid={p.pid} style={{ transform: `translateY(${start}px)` }}
      className={`tr${selected ? ' selected' : ''}${isProblemState(p.state) ? ' problem' : ''}${nested ? ' nested' : ''}`}>
      {cols.map((c) => (
        <div key={c.id} role="gridcell" className={c.cls} style={c.style}>
          {c.id === 'state' ? <StateBadge state={p.state} small /> : c.id === 'pid' && flagged ? <>{p.pid} <span className="tag finding" title="cited by findings">⚑</span></> : texts.get(p, c.id)}
        </div>
      ))}
    </div>
  );
});

/** Sort buttons and per-column filters; memoised so scrolling the rows does not re-render them. */
const TableHead = memo(function TableHead({ table, template }: {
  table: Table<Process>; template: string; sorting: SortingState; filters: ColumnFiltersState; visibility: VisibilityState;
}) {
  const leafCols = table.getVisibleLeafColumns();
  return (
    <div className="thead" role="rowgroup">
      <div className="tr" role="row" style={{ gridTemplateColumns: template }}>
        {leafCols.map((c) => {
          const s = c.getIsSorted();
          return (
            <div key={c.id} role="columnheader" aria-sort={s === 'asc' ? 'ascending' : s === 'desc' ? 'descending' : 'none'}
              className={`th${(c.columnDef.meta as { numeric?: boolean } | undefined)?.numeric ? ' num' : ''}`}>
              <button type="button" onClick={c.getToggleSortingHandler()} title="Sort (shift-click adds a key)">
                {String(c.columnDef.header)}{s === 'asc' ? ' ▲' : s === 'desc' ? ' ▼' : ''}
              </button>
            </div>
          );
        })}
      </div>
      <div className="tr filters" role="row" style={{ gridTemplateColumns: template }}>
        {leafCols.map((c) => (
          <div key={c.id} role="columnheader" className="th">
            <input type="search" aria-label={`Filter ${String(c.columnDef.header)}`} placeholder="filter"
              value={(c.getFilterValue() as string | undefined) ?? ''} onChange={(e) => c.setFilterValue(e.target.value || undefined)} />
          </div>
        ))}
      </div>
  </div>
  );
});

export default function TableView() {
  const { snapshot, match, findingsByPid } = useData();
  const nav = useNav();
  const keys = useContext(ListKeysContext);
  const cols = useMemo(() => columnsFor(snapshot), [snapshot]);
  const data = useMemo(() => (match ? snapshot.processes.filter(match) : snapshot.processes), [snapshot, match]);

  const columns = useMemo<ColumnDef<Process>[]>(() => {
    const defs: ColumnDef<Process>[] = cols.specs.map((c) => ({
      id: c.id,
      header: c.header,
      accessorFn: (p: Process) => c.value(p) ?? undefined,
      size: c.width,
      sortUndefined: 'last',
      filterFn: (row: Row<Process>, id: string, f: string) => cellMatches(row.getValue(id), f, c.id === 'state' ? 'state' : c.numeric ? 'number' : 'text'),
      ...(c.id === 'state' ? { sortingFn: (a: Row<Process>, b: Row<Process>) => stateRank(a.getValue('state')) - stateRank(b.getValue('state')) } : {}),
      meta: { numeric: c.numeric },
    }));
    for (const x of cols.extras) {
      defs.splice(defs.length - 1, 0, {
        id: `x:${x}`, header: x, size: 120, accessorFn: (p: Process) => p.extra?.[x] ?? undefined, sortUndefined: 'last',
        filterFn: (row: Row<Process>, id: string, f: string) => cellMatches(row.getValue(id), f, 'text'),
      });
    }
    return defs;
  }, [cols]);

  const [sorting, setSorting] = useState<SortingState>([]);
  const [filters, setFilters] = useState<ColumnFiltersState>([]);
  const [grouping, setGrouping] = useState<GroupingState>([]);
  const [expanded, setExpanded] = useState<ExpandedState>({});
  const [visibility, setVisibility] = useState<VisibilityState>(() => Object.fromEntries(cols.specs.filter((c) => c.hidden).map((c) => [c.id, false])));

  const table = useReactTable({
    data, columns,
    state: { sorting, columnFilters: filters, grouping, expanded, columnVisibility: visibility },
    onSortingChange: setSorting, onColumnFiltersChange: setFilters, onGroupingChange: setGrouping,
    onExpandedChange: setExpanded, onColumnVisibilityChange: setVisibility,
    getCoreRowModel: getCoreRowModel(), getSortedRowModel: getSortedRowModel(), getFilteredRowModel: getFilteredRowModel(),
    getGroupedRowModel: getGroupedRowModel(), getExpandedRowModel: getExpandedRowModel(),
    getRowId: (p) => String(p.pid),
    autoResetExpanded: false, groupedColumnMode: false, enableSortingRemoval: true,
  });

  const rows = table.getRowModel().rows;
  const leafCols = table.getVisibleLeafColumns();
  const template = leafCols.map((c) => (c.id === 'args' ? `minmax(${c.getSize()}px, 1fr)` : `${c.getSize()}px`)).join(' ');
  // Every row gets the same explicit width, so rows never size themselves to their content
  // (that made the browser lay out each row's text on every scrolled frame).
  const totalWidth = leafCols.reduce((n, c) => n + c.getSize(), 0);
  // Rows get the column list and their grid from here, built once per column set (not per row
  // per frame), and a per-snapshot cache of formatted cell texts.
  const rowCols = useMemo<RowCol[]>(() => leafCols.map((c) => ({
    id: c.id,
    cls: `td${(c.columnDef.meta as { numeric?: boolean } | undefined)?.numeric ? ' num' : ''}${c.id === 'args' || c.id === 'comm' || c.id === 'wchan' ? ' mono' : ''}`,
    // As the header's grid: `Npx` for each column, `minmax(Npx, 1fr)` for the command.
    style: c.id === 'args' ? { flex: `1 0 ${c.getSize()}px` } : { width: c.getSize() },
  })), [leafCols]);
  const texts = useMemo(() => new CellTexts(cols), [cols]);
  const pick = useCallback((pid: number) => nav.select(pid, { open: true }), [nav]);
  const selected = nav.view.pid;
  const selIndex = useMemo(() => rows.findIndex((r) => !r.getIsGrouped() && r.original.pid === selected), [rows, selected]);

  const scroller = useRef<HTMLDivElement>(null);
  // The sticky header (sort row + filter row) sits inside the scroller; scrollPaddingStart keeps
  // a selected row from landing underneath it.
  const virt = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: OVERSCAN, scrollPaddingStart: 52, useFlushSync: false });
  useEffect(() => { if (selIndex >= 0) virt.scrollToIndex(selIndex, { align: 'auto' }); }, [selIndex, virt]);

  useEffect(() => {
    keys.current = {
      move: (d) => {
        const i = selIndex < 0 ? (d > 0 ? 0 : rows.length - 1) : Math.max(0, Math.min(rows.length - 1, selIndex + d));
        const r = rows[i];
        if (!r) return;
        if (r.getIsGrouped()) { const leaf = r.getLeafRows()[0]; if (leaf) nav.select(leaf.original.pid); } else nav.select(r.original.pid);
      },
      open: () => { if (selected !== null) nav.select(selected, { open: true }); },
    };
    return () => { keys.current = null; };
  }, [keys, rows, selIndex, selected, nav]);

  const items = virt.getVirtualItems();
  const slots = useSlots(items.length);

  const onRowsClick = useCallback((e: MouseEvent<HTMLDivElement>) => {
    const row = (e.target as Element).closest<HTMLElement>('[role=row]');
    if (!row) return;
    if (row.dataset.index !== undefined) { rows[Number(row.dataset.index)]?.toggleExpanded(); return; }
    const pid = Number(row.dataset.pid);
    if (row.dataset.pid !== undefined && Number.isFinite(pid)) pick(pid);
  }, [rows, pick]);

  const groupBy = grouping[0] ?? '';

  return (
    <section className="table-view" aria-label="Process table">
      <div className="toolbar">
        <label>Group by{' '}
          <select value={groupBy} aria-label="Group by" onChange={(e) => {
            const g = e.target.value;
            setGrouping(g ? [g] : []);
            setExpanded({});
            // States group with the alarming ones (D, Z) on top.
            if (g === 'state') setSorting([{ id: 'state', desc: false }]);
          }}>
            {GROUPS.filter((g) => !g.id || leafCols.some((c) => c.id === g.id) || table.getColumn(g.id)).map((g) => <option key={g.id} value={g.id}>{g.label}</option>)}
          </select>
        </label>
        <details className="menu">
          <summary className="btn btn-small">Columns</summary>
          <div className="menu-body" role="group" aria-label="Visible columns">
            {table.getAllLeafColumns().map((c) => (
              <label key={c.id} className="check">
                <input type="checkbox" checked={c.getIsVisible()} onChange={c.getToggleVisibilityHandler()} /> {String(c.columnDef.header)}
              </label>
            ))}
          </div>
        </details>
        {(filters.length > 0 || sorting.length > 0) && (
          <button type="button" className="btn btn-small" onClick={() => { setFilters([]); setSorting([]); }}>Clear column filters and sort</button>
        )}
        <span className="muted">
          {table.getFilteredRowModel().rows.length.toLocaleString('en-US')} of {snapshot.processes.length.toLocaleString('en-US')} processes
          {match ? ' (search/state filter on)' : ''} · filters: <code>&gt;10</code> <code>100-200</code> <code>DZ</code>
        </span>
      </div>
      <div ref={scroller} className="table-scroll" role="grid" aria-label="Processes" aria-rowcount={rows.length + 2} tabIndex={0}>
        <TableHead table={table} template={template} sorting={sorting} filters={filters} visibility={visibility} />
        {/* One click handler for all rows: a row is found by its data-pid (or data-index for a group). */}
        <div className="tbody" role="rowgroup" onClick={onRowsClick}
          style={{ height: virt.getTotalSize(), minWidth: totalWidth, '--row-width': `${totalWidth}px` } as CSSProperties}>
          {bySlot(items, slots).map((it) => {
            const r = rows[it.index];
            const key = it.index % slots;
            if (r.getIsGrouped()) {
              const col = table.getColumn(r.groupingColumnId!);
              return (
                <div key={key} role="row" aria-rowindex={it.index + 3} className="tr group" data-index={it.index} style={{ transform: `translateY(${it.start}px)` }} aria-expanded={r.getIsExpanded()}>
                  <div role="gridcell" className="td group-cell">
                    {r.getIsExpanded() ? '▾' : '▸'}
                    {r.groupingColumnId === 'state'
                      ? <><StateBadge state={r.groupingValue as string} small /> <strong>{stateInfo(r.groupingValue as string).name}</strong></>
                      : <><span className="muted">{String(col?.columnDef.header ?? '')}</span> <strong>{String(r.groupingValue ?? '—')}</strong></>}
                    <span className="muted num">{r.subRows.length.toLocaleString('en-US')} processes</span>
                  </div>
                </div>
              );
            }
            const p = r.original;
            return (
              <ProcRow key={key} index={it.index} p={p} start={it.start} cols={rowCols} texts={texts} nested={r.depth > 0}
                selected={p.pid === selected} flagged={findingsByPid.has(p.pid)} />
            );
          })}
        </div>
      </div>
    </section>
  );
}
