// The app shell: input (paste anywhere, drop, pick, samples, collector), the four views, the
// details panel, keyboard, theme and the URL-held view state.
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type ComponentType } from 'react';
import type { Finding } from '../model/analysis.ts';
import { ShortcutsDialog } from './components/ShortcutsDialog.tsx';
import { DataContext, ListKeysContext, NavContext, type Data, type ListKeys, type Nav } from './context.ts';
import { useAnalysis, type InputFile } from './hooks/useAnalysis.ts';
import { useTheme } from './hooks/useTheme.ts';
import { useViewState } from './hooks/useViewState.ts';
import { Collector } from './input/Collector.tsx';
import { Gallery } from './input/Gallery.tsx';
import { InputEditor, type InputEditorHandle } from './input/InputEditor.tsx';
import { Problems } from './input/Problems.tsx';
import { inTextField } from './input/readFiles.ts';
import { usePasteAndDrop } from './input/usePasteAndDrop.ts';
import { makeMatcher } from './lib/filter.ts';
import { InputLines } from './lib/provenance.ts';
import { stateInfo } from './lib/states.ts';
import { indexOf } from './lib/tree.ts';
import { VIEWS, type ViewName, type ViewState } from './lib/urlState.ts';
import Overview from './views/Overview.tsx';

const loadStates = () => import('./views/StatesView.tsx');
const loadTree = () => import('./views/TreeView.tsx');
const loadTable = () => import('./views/TableView.tsx');
const loadDetails = () => import('./views/Details.tsx');
const StatesView = lazy(loadStates);
const TreeView = lazy(loadTree);
const TableView = lazy(loadTable);
const Details = lazy(loadDetails);

// The share feature lives in src/ui/share (another part of the app). Globbing keeps this shell
// building whether or not it is there, and keeps it out of the initial bundle.
interface ShareModule {
  ShareDialog?: ComponentType<{ inputs: InputFile[]; view: ViewState; onClose(): void }>;
  openSharedFromLocation?: () => Promise<unknown> | unknown;
}
const shareModules = import.meta.glob<ShareModule>('./share/index.{ts,tsx}');
const loadShare = Object.values(shareModules)[0] as (() => Promise<ShareModule>) | undefined;
const ShareDialog = loadShare
  ? lazy(async () => {
    const m = await loadShare();
    return { default: (m.ShareDialog ?? (() => null)) as ComponentType<{ inputs: InputFile[]; view: ViewState; onClose(): void }> };
  })
  : null;

function Receiving() {
  return <div className="loading">Receiving the process list…</div>;
}

const TAB_LABEL: Record<ViewName, string> = { overview: 'Overview', states: 'States', tree: 'Tree', table: 'Table' };

export function App() {
  const theme = useTheme();
  const [view, update] = useViewState();
  const { status, analysis, partial, facts, analyseMs, analysed, run } = useAnalysis();
  const [drafts, setDrafts] = useState<InputFile[]>([]);
  const [generation, setGeneration] = useState(0);
  const [inputOpen, setInputOpen] = useState(false);
  const [help, setHelp] = useState(false);
  const [sharing, setSharing] = useState(false);
  const [search, setSearch] = useState(view.q);
  const editor = useRef<InputEditorHandle>(null);
  const searchBox = useRef<HTMLInputElement>(null);
  const listKeys = useRef<ListKeys | null>(null);
  const picker = useRef<HTMLInputElement>(null);

  const load = useCallback((inputs: InputFile[]) => {
    setDrafts(inputs);
    setGeneration((g) => g + 1);
    setInputOpen(false);
    update({ pid: null, details: false, state: null, q: '', snap: null, focus: false });
    setSearch('');
    run(inputs);
  }, [run, update]);
  const dragging = usePasteAndDrop(load);

  // A shared link (#s=… / #k=…) opens through the share feature.
  useEffect(() => {
    if (!loadShare || !/[#&](s|k)=/.test(location.hash)) return;
    void loadShare().then(async (m) => {
      const got = (await m.openSharedFromLocation?.()) as { inputs?: InputFile[]; view?: Partial<ViewState> | string } | null | undefined;
      if (!got || !Array.isArray(got.inputs)) return;
      setDrafts(got.inputs);
      setGeneration((g) => g + 1);
      run(got.inputs);
      if (got.view && typeof got.view === 'object') update(got.view);
    }).catch((e: unknown) => console.error('could not open the shared link', e));
  }, [run, update]);

  // The search box updates the URL (and the filter) a beat after typing stops.
  useEffect(() => {
    if (search === view.q) return;
    const t = setTimeout(() => update({ q: search }), 150);
    return () => clearTimeout(t);
  }, [search, view.q, update]);
  useEffect(() => { setSearch(view.q); }, [view.q]);

  const snapshots = analysis?.snapshots ?? [];
  const snapIndex = view.snap === null ? Math.max(0, snapshots.length - 1) : Math.max(0, Math.min(view.snap, snapshots.length - 1));
  const snapshot = snapshots[snapIndex];
  const byPid = useMemo(() => (snapshot ? indexOf(snapshot) : new Map()), [snapshot]);
  const match = useMemo(() => makeMatcher({ q: view.q, state: view.state }), [view.q, view.state]);
  const findingsByPid = useMemo(() => {
    const m = new Map<number, Finding[]>();
    for (const f of analysis?.findings ?? []) {
      const pids = new Set(f.pids);
      for (const e of f.evidence) if (e.pid !== undefined) pids.add(e.pid);
      for (const p of pids) { const l = m.get(p); if (l) l.push(f); else m.set(p, [f]); }
    }
    return m;
  }, [analysis]);
  const lines = useMemo(() => new InputLines(analysed), [analysed]);

  const data: Data | null = useMemo(() => (analysis && snapshot ? { analysis, snapshot, byPid, findingsByPid, match, lines, partial, facts: facts[snapIndex], analyseMs } : null),
    [analysis, snapshot, byPid, findingsByPid, match, lines, partial, facts, snapIndex, analyseMs]);

  const nav: Nav = useMemo(() => ({
    view,
    update,
    select(pid, opts) {
      update((v) => ({
        pid,
        details: pid === null ? false : opts?.open ?? v.details,
        ...(opts?.snap !== undefined ? { snap: opts.snap } : {}),
        ...(opts?.view ? { view: opts.view } : {}),
      }));
    },
    setStateFilter(state) { update({ state }); },
  }), [view, update]);

  // Load the other views while the user reads the overview, so they open instantly and the app
  // keeps working if the network goes away after the first load.
  useEffect(() => {
    if (!analysis) return;
    const idle = (cb: () => void) => ('requestIdleCallback' in window ? requestIdleCallback(cb) : setTimeout(cb, 200));
    idle(() => { void loadStates(); void loadTree(); void loadTable(); void loadDetails(); void import('./views/FocusTree.tsx'); });
  }, [analysis]);

  const hasProcesses = !!snapshot && snapshot.counts.processes > 0;
  const running = status.kind === 'running';
  const ingest = analysis?.ingest;
  const problemCount = (ingest?.errors.length ?? 0) + (ingest?.warnings.length ?? 0);
  const showInput = !analysis || !hasProcesses || inputOpen;

  // Keyboard: one handler for the page; text fields keep their keys (Esc leaves them).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      if (help || sharing) return;
      if (inTextField(e.target)) {
        if (e.key === 'Escape') (e.target as HTMLElement).blur();
        return;
      }
      const key = e.key;
      if (key === '?') { e.preventDefault(); setHelp(true); return; }
      if (key === 't') { theme.cycle(); return; }
      if (key === 'i') { setInputOpen((o) => !o); return; }
      if (!hasProcesses) return;
      if (key === '/') { e.preventDefault(); searchBox.current?.focus(); searchBox.current?.select(); return; }
      const n = Number(key);
      if (n >= 1 && n <= 4 && key.length === 1) { update({ view: VIEWS[n - 1], focus: false }); return; }
      if (key === 'j' || key === 'k') {
        const d = key === 'j' ? 1 : -1;
        if (listKeys.current) { e.preventDefault(); listKeys.current.move(d); return; }
        // In the overview, j/k step through the findings.
        const cards = Array.from(document.querySelectorAll<HTMLElement>('.findings .finding'));
        if (cards.length === 0) return;
        const at = cards.findIndex((c) => c === document.activeElement || c.contains(document.activeElement));
        const next = cards[Math.max(0, Math.min(cards.length - 1, at < 0 ? 0 : at + d))];
        next.focus();
        next.scrollIntoView({ block: 'nearest' });
        return;
      }
      if (key === 'Enter') {
        const t = e.target as HTMLElement;
        if (t.closest('button, a, summary, [role=button]')) return;
        const card = t.closest<HTMLElement>('.finding');
        if (card) {
          const pid = Number(card.dataset.firstPid);
          if (pid) nav.select(pid, { open: true, snap: Number(card.dataset.snapshot ?? snapIndex) });
          return;
        }
        listKeys.current?.open();
        return;
      }
      if (key === 'f') { if (view.pid !== null) update({ focus: !view.focus, view: 'tree' }); return; }
      if (key === '[' || key === ']') {
        const next = snapIndex + (key === ']' ? 1 : -1);
        if (next >= 0 && next < snapshots.length) update({ snap: next });
        return;
      }
      if (key === 'Escape') {
        if (view.details) update({ details: false });
        else if (view.focus) update({ focus: false });
        else if (view.state || view.q) { update({ state: null, q: '' }); setSearch(''); }
        else if (view.pid !== null) update({ pid: null });
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [help, sharing, theme, hasProcesses, update, view, nav, snapIndex, snapshots.length]);

  const progress = status.kind === 'running' && status.total > 0 ? status.done / status.total : null;

  return (
    <ListKeysContext.Provider value={listKeys}>
      <NavContext.Provider value={nav}>
        <div className={`app${dragging ? ' dragging' : ''}`}>
          <header className="topbar">
            <a className="brand" href="./" onClick={(e) => { if (analysis) { e.preventDefault(); update({ view: 'overview' }); } }}>procscope</a>
            {hasProcesses && (
              <nav className="tabs" role="tablist" aria-label="Views">
                {VIEWS.map((v, i) => (
                  <button key={v} type="button" role="tab" aria-selected={view.view === v} onClick={() => update({ view: v, focus: false })} title={`${TAB_LABEL[v]} (${i + 1})`}>
                    <kbd>{i + 1}</kbd> {TAB_LABEL[v]}
                  </button>
                ))}
              </nav>
            )}
            {hasProcesses && (
              <div className="search">
                <input ref={searchBox} type="search" aria-label="Search processes" placeholder="Search PID, user, command, wchan  ( / )"
                  value={search} onChange={(e) => setSearch(e.target.value)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') update({ q: search, view: view.view === 'overview' || view.view === 'states' ? 'tree' : view.view });
                    // Esc leaves the box with the search kept (Chrome would clear a search field), so j/k work on the results.
                    if (e.key === 'Escape') { e.preventDefault(); update({ q: search }); e.currentTarget.blur(); }
                  }} />
                {view.state && (
                  <button type="button" className="chip" aria-label={`Clear state filter ${view.state}`} onClick={() => update({ state: null })}>
                    state {view.state} <span className="muted">{stateInfo(view.state).name}</span> ×
                  </button>
                )}
              </div>
            )}
            {snapshots.length > 1 && (
              <label className="snap">
                <span className="muted">Snapshot</span>{' '}
                <select aria-label="Snapshot" value={snapIndex} onChange={(e) => update({ snap: Number(e.target.value) })}>
                  {snapshots.map((s) => <option key={s.index} value={s.index}>{s.label}</option>)}
                </select>
              </label>
            )}
            <span className="spacer" />
            {analysis && (
              <button type="button" className="btn" aria-pressed={showInput} onClick={() => setInputOpen((o) => !o)} title="Show the input text (i)">
                Input{problemCount > 0 ? <span className="badge warn">{problemCount}</span> : null}
              </button>
            )}
            <button type="button" className="btn" onClick={() => picker.current?.click()}>Open files…</button>
            <input ref={picker} type="file" multiple hidden aria-label="Open files" onChange={async (e) => {
              const files = e.target.files;
              if (files && files.length > 0) load(await (await import('./input/readFiles.ts')).readFiles(Array.from(files)));
              e.target.value = '';
            }} />
            {ShareDialog && analysis && hasProcesses && (
              <button type="button" className="btn" onClick={() => setSharing(true)}>Share</button>
            )}
            <button type="button" className="btn icon-btn" onClick={theme.cycle} aria-label={`Theme: ${theme.choice} (t)`} title={`Theme: ${theme.choice} (t)`}>
              {theme.resolved === 'dark' ? '☾' : '☀'}<span className="theme-choice">{theme.choice === 'system' ? 'auto' : theme.choice}</span>
            </button>
            <button type="button" className="btn icon-btn" onClick={() => setHelp(true)} aria-label="Keyboard shortcuts (?)" title="Keyboard shortcuts (?)">?</button>
            <div className="progress" aria-hidden={!running}>
              {running && <span style={{ width: `${Math.round((progress ?? 0) * 100)}%` }} />}
            </div>
          </header>
          {running && (
            <div className="status" role="status">
              {partial ? `Findings are in; receiving ${snapshot?.counts.processes.toLocaleString('en-US') ?? ''} processes…`
                : progress !== null && progress < 1 ? `Reading input… ${Math.round(progress * 100)}%` : 'Building the process graph and diagnosing…'}
            </div>
          )}
          {status.kind === 'failed' && (
            <div className="status error" role="alert">The analysis failed: {status.message}. Your input is kept below.</div>
          )}

          {showInput && (
            <div className={`input-area${!analysis || !hasProcesses ? ' landing' : ''}`}>
              <div className="input-main">
                {!analysis && drafts.length === 0 && (
                  <div className="hero">
                    <h1>What is this Linux host doing?</h1>
                    <p>Paste what you captured on a sick host (<code>ps aux</code>, <code>ps -eLf</code>, <code>top -b</code>, <code>pstree -p</code>,
                      <code>/proc</code> dumps, hung-task <code>dmesg</code>) anywhere on this page, drop the files, or open a sample. You get the
                      process graph, its states, and what is wrong with evidence and the next commands. Nothing is uploaded.</p>
                  </div>
                )}
                {ingest && <Problems ingest={ingest} noProcesses={!hasProcesses} onLine={(i, l) => editor.current?.showLine(i, l)} />}
                <InputEditor ref={editor} inputs={drafts} onChange={setDrafts} onRun={(inputs) => { setDrafts(inputs); run(inputs); }}
                  running={running} big={!analysis || !hasProcesses} generation={generation} />
              </div>
              {(!analysis || !hasProcesses) && (
                <div className="input-side">
                  <Gallery onOpen={(inputs) => load(inputs)} />
                  <Collector />
                </div>
              )}
            </div>
          )}

          {data && hasProcesses && (
            <DataContext.Provider value={data}>
              <main className={`main${view.details && view.pid !== null ? ' with-details' : ''}`}>
                <div className="view" role="tabpanel" aria-label={TAB_LABEL[view.view]}>
                  <Suspense fallback={<div className="loading">Loading view…</div>}>
                    {view.view === 'overview' && <Overview />}
                    {view.view === 'states' && <StatesView />}
                    {view.view === 'tree' && (partial ? <Receiving /> : <TreeView />)}
                    {view.view === 'table' && (partial ? <Receiving /> : <TableView />)}
                  </Suspense>
                </div>
                {view.details && view.pid !== null && !partial && (
                  <Suspense fallback={<aside className="details" aria-label="Process details"><p className="loading">Loading…</p></aside>}>
                    <Details />
                  </Suspense>
                )}
              </main>
            </DataContext.Provider>
          )}

          {dragging && <div className="drop-overlay" aria-hidden="true"><div>Drop the files: they are read here as parts of one capture.</div></div>}
          {help && <ShortcutsDialog onClose={() => setHelp(false)} />}
          {sharing && ShareDialog && (
            <Suspense fallback={null}>
              <ShareDialog inputs={analysed} view={view} onClose={() => setSharing(false)} />
            </Suspense>
          )}
        </div>
      </NavContext.Provider>
    </ListKeysContext.Provider>
  );
}
