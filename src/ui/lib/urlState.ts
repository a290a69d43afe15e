// The view lives in the URL query (?view=tree&pid=812&state=D&q=nginx), so a reload or a copied
// address keeps it. The fragment is left alone: the share feature owns `#s=` and `#k=`.

export const VIEWS = ['overview', 'states', 'tree', 'table'] as const;
export type ViewName = (typeof VIEWS)[number];

export interface ViewState {
  view: ViewName;
  /** Selected process. */
  pid: number | null;
  /** Details panel open for the selected process. */
  details: boolean;
  /** State-letter filter from the state diagram (D, Z, …). */
  state: string | null;
  /** Search over PID, user, command and wchan. */
  q: string;
  /** Snapshot index in the timeline; null = the latest (the moment the findings describe). */
  snap: number | null;
  /** Count processes or threads in the state diagram. */
  unit: 'processes' | 'threads';
  /** Tree focus mode: the selected process's ancestors and descendants as a tidy tree. */
  focus: boolean;
}

export const DEFAULT_VIEW: ViewState = {
  view: 'overview', pid: null, details: false, state: null, q: '', snap: null, unit: 'processes', focus: false,
};

const STATE_RE = /^[DRSTtZXIWP]$/;

function int(s: string | null): number | null {
  if (s === null || !/^\d{1,10}$/.test(s)) return null;
  return Number(s);
}

/** Reads a query string (with or without `?`); anything malformed falls back to the default. */
export function parseViewState(search: string): ViewState {
  const p = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const view = p.get('view');
  const state = p.get('state');
  return {
    view: (VIEWS as readonly string[]).includes(view ?? '') ? (view as ViewName) : DEFAULT_VIEW.view,
    pid: int(p.get('pid')),
    details: p.get('details') === '1',
    state: state !== null && STATE_RE.test(state) ? state : null,
    q: (p.get('q') ?? '').slice(0, 200),
    snap: int(p.get('snap')),
    unit: p.get('unit') === 'threads' ? 'threads' : 'processes',
    focus: p.get('focus') === '1',
  };
}

/** Writes only what differs from the default, in a stable order: `?view=tree&pid=812`. */
export function formatViewState(v: ViewState): string {
  const p = new URLSearchParams();
  if (v.view !== DEFAULT_VIEW.view) p.set('view', v.view);
  if (v.pid !== null) p.set('pid', String(v.pid));
  if (v.details) p.set('details', '1');
  if (v.state) p.set('state', v.state);
  if (v.q) p.set('q', v.q);
  if (v.snap !== null) p.set('snap', String(v.snap));
  if (v.unit !== DEFAULT_VIEW.unit) p.set('unit', v.unit);
  if (v.focus) p.set('focus', '1');
  const s = p.toString();
  return s ? `?${s}` : '';
}
