// Browser side of sharing: where the app lives (so links work under `/` and `/s/<id>`), the
// share server's API, and the delete tokens this browser keeps (explain.dalibo.com keeps them in
// localStorage too; losing one means the share can only expire, pev2 #353).
import { parseViewState, formatViewState, type ViewState } from '../lib/urlState.ts';

/** The app's base URL: `https://h/` for `https://h/s/<id>#k=…`, `https://h/x/` for `https://h/x/index.html`. */
export function appBase(loc: { origin: string; pathname: string } = location): string {
  const path = loc.pathname.replace(/\/s\/[^/]*$/, '/').replace(/[^/]*$/, '');
  return loc.origin + (path || '/');
}

/** The view as the URL query holds it (`{view: 'tree', pid: '812'}`), for the payload. */
export function viewToRecord(view: ViewState | Record<string, string>): Record<string, string> {
  if (typeof (view as ViewState).details === 'boolean') {
    return Object.fromEntries(new URLSearchParams(formatViewState(view as ViewState)));
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(view)) if (typeof v === 'string') out[k] = v;
  return out;
}

export function recordToView(view: Record<string, string>): ViewState {
  return parseViewState(new URLSearchParams(view).toString());
}

export interface SavedShare {
  id: string;
  deleteToken: string;
  expiresAt: string;
  createdAt: string;
  /** The full link (with its key), so the person who shared can copy it again. */
  url: string;
}

const KEY = 'procscope.shares';

export function loadSavedShares(): SavedShare[] {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    if (!Array.isArray(raw)) return [];
    const now = Date.now();
    return raw.filter((s): s is SavedShare => !!s && typeof s === 'object'
      && typeof (s as SavedShare).id === 'string' && typeof (s as SavedShare).deleteToken === 'string'
      && typeof (s as SavedShare).expiresAt === 'string' && Date.parse((s as SavedShare).expiresAt) > now);
  } catch {
    return [];
  }
}

function saveShares(list: SavedShare[]): void {
  try { localStorage.setItem(KEY, JSON.stringify(list)); } catch { /* private mode: the share still works */ }
}

export function rememberShare(s: SavedShare): SavedShare[] {
  const list = [s, ...loadSavedShares().filter((x) => x.id !== s.id)];
  saveShares(list);
  return list;
}

export function forgetShare(id: string): SavedShare[] {
  const list = loadSavedShares().filter((x) => x.id !== id);
  saveShares(list);
  return list;
}

async function errorOf(r: Response): Promise<string> {
  try {
    const j = (await r.json()) as { error?: unknown };
    if (typeof j.error === 'string') return j.error;
  } catch { /* not ours */ }
  if (r.status === 404 || r.status === 405) return `There is no share server here (HTTP ${r.status}). Run \`npx procscope serve\` and open the app from it, or use the link instead.`;
  return `The share server answered HTTP ${r.status}.`;
}

export type Posted = { ok: true; id: string; deleteToken: string; expiresAt: string } | { ok: false; error: string };

export async function postShare(ciphertext: Uint8Array, days: number, base = appBase()): Promise<Posted> {
  let r: Response;
  try {
    r = await fetch(`${base}api/shares`, {
      method: 'POST',
      body: ciphertext as Uint8Array<ArrayBuffer>,
      headers: { 'Content-Type': 'application/octet-stream', 'X-Expires-In-Days': String(days) },
    });
  } catch (e) {
    return { ok: false, error: `Could not reach the share server: ${(e as Error).message}` };
  }
  if (r.status !== 201) return { ok: false, error: await errorOf(r) };
  const j = (await r.json()) as { id: string; deleteToken: string; expiresAt: string };
  return { ok: true, id: j.id, deleteToken: j.deleteToken, expiresAt: j.expiresAt };
}

export async function deleteShare(s: SavedShare, base = appBase()): Promise<{ ok: true } | { ok: false; error: string }> {
  let r: Response;
  try {
    r = await fetch(`${base}api/shares/${encodeURIComponent(s.id)}`, { method: 'DELETE', headers: { Authorization: `Bearer ${s.deleteToken}` } });
  } catch (e) {
    return { ok: false, error: `Could not reach the share server: ${(e as Error).message}` };
  }
  // Already gone (deleted elsewhere, expired): nothing left to delete.
  if (r.status === 204 || r.status === 404 || r.status === 410) return { ok: true };
  return { ok: false, error: await errorOf(r) };
}

export type Fetched = { ok: true; data: Uint8Array } | { ok: false; error: string };

export async function fetchShare(id: string, base = appBase()): Promise<Fetched> {
  let r: Response;
  try {
    r = await fetch(`${base}api/shares/${encodeURIComponent(id)}`, { cache: 'no-store' });
  } catch (e) {
    return { ok: false, error: `Could not reach the share server: ${(e as Error).message}` };
  }
  if (r.status !== 200) return { ok: false, error: await errorOf(r) };
  return { ok: true, data: new Uint8Array(await r.arrayBuffer()) };
}
