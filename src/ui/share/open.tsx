// Opening a shared snapshot from the address: `#s=<version>.<data>` (everything in the link) or
// `/s/<id>#k=<key>` (ciphertext on the share server, key in the fragment).
import { useEffect, useRef } from 'react';
import { createRoot } from 'react-dom/client';
import { decodePermalink, decryptFromServer, fragmentParam } from '../../share/permalink.ts';
import type { ViewState } from '../lib/urlState.ts';
import { fetchShare, recordToView } from './api.ts';
import './share.css';

export interface Opened {
  inputs: { name: string; text: string }[];
  view: ViewState;
}

export interface OpenOptions {
  /**
   * Show a failure in a dialog of our own (default true), so a damaged link never fails
   * silently; a shell that renders `{error}` itself passes false.
   */
  showErrors?: boolean;
}

const SERVER_PATH = /\/s\/([^/]+)$/;

export async function openSharedFromLocation(opts: OpenOptions = {}): Promise<Opened | { error: string } | null> {
  const r = await openShared(location);
  if (r && 'error' in r && opts.showErrors !== false) showShareError(r.error);
  return r;
}

export async function openShared(loc: { hash: string; pathname: string; origin: string }): Promise<Opened | { error: string } | null> {
  const s = fragmentParam(loc.hash, 's');
  if (s !== null) {
    const d = decodePermalink(s);
    return d.ok ? { inputs: d.payload.inputs, view: recordToView(d.payload.view) } : { error: d.error };
  }
  const m = SERVER_PATH.exec(loc.pathname);
  if (!m) return null;
  const k = fragmentParam(loc.hash, 'k');
  if (k === null || k === '') {
    return { error: 'This share link has no key after #k=: it was cut when it was copied. The key exists only in the full link, never on the server.' };
  }
  const base = loc.origin + loc.pathname.replace(SERVER_PATH, '/');
  const f = await fetchShare(m[1], base);
  if (!f.ok) return { error: f.error };
  const d = await decryptFromServer(f.data, k);
  return d.ok ? { inputs: d.payload.inputs, view: recordToView(d.payload.view) } : { error: d.error };
}

function ShareError({ message, onClose }: { message: string; onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog ref={ref} className="dialog share-error" aria-label="Shared snapshot could not be opened" onClose={onClose}
      onCancel={(e) => { e.preventDefault(); onClose(); }}>
      <header><h2>The shared snapshot could not be opened</h2></header>
      <p role="alert" className="share-error-message">{message}</p>
      <p className="share-muted">Ask whoever shared it for the link again, or paste your own capture.</p>
      <div className="share-row">
        <button type="button" className="btn btn-primary" onClick={onClose}>Close</button>
      </div>
    </dialog>
  );
}

/** Shows an error about a shared link in a dialog of its own, outside the app's tree. */
export function showShareError(message: string): void {
  const host = document.createElement('div');
  host.className = 'share-error-host';
  document.body.appendChild(host);
  const root = createRoot(host);
  const close = () => {
    root.unmount();
    host.remove();
    // The broken fragment would reopen the same error on reload.
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  };
  root.render(<ShareError message={message} onClose={close} />);
}
