// The share dialog (Firefox Profiler's publish panel, explain.dalibo.com's delete key): a preview
// of exactly what leaves the browser, redaction categories on by default, then a link that
// carries everything in its fragment, or an encrypted upload to our share server whose key
// stays in the link. Nothing is sent anywhere until "Share via server" is pressed.
import { useEffect, useMemo, useRef, useState } from 'react';
import { copyText } from '../components/CopyButton.tsx';
import type { ViewState } from '../lib/urlState.ts';
import { CATEGORY_LABELS, DEFAULT_REDACT_OPTIONS, REDACT_CATEGORIES, type RedactCategory, type RedactOptions } from '../../share/redact.ts';
import { appBase, deleteShare, forgetShare, loadSavedShares, postShare, rememberShare, viewToRecord, type SavedShare } from './api.ts';
import { Preview } from './Preview.tsx';
import { useSharePrep } from './useSharePrep.ts';
import './share.css';

export interface ShareDialogProps {
  inputs: { name: string; text: string }[];
  view: ViewState | Record<string, string>;
  onClose(): void;
}

const EXPIRY_DAYS = [1, 7, 30, 90] as const;

function kb(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

type ServerState =
  | { kind: 'idle' }
  | { kind: 'busy' }
  | { kind: 'done'; share: SavedShare }
  | { kind: 'error'; message: string };

export function ShareDialog({ inputs, view, onClose }: ShareDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [options, setOptions] = useState<RedactOptions>(DEFAULT_REDACT_OPTIONS);
  const [days, setDays] = useState<number>(30);
  const [server, setServer] = useState<ServerState>({ kind: 'idle' });
  const [saved, setSaved] = useState<SavedShare[]>(() => loadSavedShares());
  const [note, setNote] = useState('');

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);

  const viewRecord = useMemo(() => viewToRecord(view), [view]);
  const request = useMemo(() => ({ inputs, options, view: viewRecord }), [inputs, options, viewRecord]);
  // Redaction and encoding run in a worker: a million-row capture must not freeze the page.
  const prep = useSharePrep(request);
  const prepared = prep.prepared;
  const ready = !!prepared && !prep.busy;
  const link = prepared?.link;
  const base = appBase();
  const linkUrl = link && !link.tooLarge ? `${base}#${link.fragment}` : '';

  // A server share belongs to the payload it was made from: a new choice needs a new upload.
  useEffect(() => { setServer({ kind: 'idle' }); }, [request]);

  const say = (s: string) => { setNote(s); setTimeout(() => setNote((n) => (n === s ? '' : n)), 2500); };

  const shareViaServer = async () => {
    setServer({ kind: 'busy' });
    try {
      const { ciphertext, keyB64url } = await prep.encrypt();
      const r = await postShare(ciphertext, days, base);
      if (!r.ok) { setServer({ kind: 'error', message: r.error }); return; }
      const share: SavedShare = {
        id: r.id, deleteToken: r.deleteToken, expiresAt: r.expiresAt, createdAt: new Date().toISOString(),
        url: `${base}s/${r.id}#k=${keyB64url}`,
      };
      setSaved(rememberShare(share));
      setServer({ kind: 'done', share });
    } catch (e) {
      setServer({ kind: 'error', message: `Could not share: ${(e as Error).message}` });
    }
  };

  const remove = async (s: SavedShare) => {
    const r = await deleteShare(s, base);
    if (!r.ok) { say(r.error); return; }
    setSaved(forgetShare(s.id));
    if (server.kind === 'done' && server.share.id === s.id) setServer({ kind: 'idle' });
    say('Deleted from the server.');
  };

  const copyMarkdown = async () => {
    setNote('Preparing the Markdown…');
    try {
      const permalink = server.kind === 'done' ? server.share.url : link?.comfortable ? linkUrl : undefined;
      // Built from the redacted inputs (in the worker): what the Markdown quotes is what the link shares.
      const md = await prep.markdown(permalink);
      say((await copyText(md)) ? 'Markdown copied.' : 'Could not copy: the browser refused the clipboard.');
    } catch (e) {
      say(`Could not make the Markdown: ${(e as Error).message}`);
    }
  };

  const toggle = (c: RedactCategory) => setOptions((o) => ({ ...o, [c]: !o[c] }));
  const totalChanges = prepared?.changes ?? 0;

  return (
    <dialog ref={ref} className="dialog share-dialog" aria-label="Share snapshot" onClose={onClose}
      onCancel={(e) => { e.preventDefault(); onClose(); }}>
      <header>
        <h2>Share snapshot</h2>
        <button type="button" className="icon" aria-label="Close" onClick={onClose}>×</button>
      </header>
      <p className="share-muted">
        Nothing has left this browser yet. This is exactly what a link will carry: your inputs, after removing what is ticked below.
      </p>

      <fieldset className="share-options">
        <legend>Remove before sharing</legend>
        {REDACT_CATEGORIES.map((c) => (
          <label key={c} className="share-option">
            <input type="checkbox" checked={options[c]} onChange={() => toggle(c)} />
            <span className={`share-swatch share-mark-${c}`} aria-hidden="true" />
            {CATEGORY_LABELS[c]} <span className="share-muted">({prepared ? prepared.counts[c] : '…'})</span>
          </label>
        ))}
      </fieldset>
      {!options.secrets && <p className="share-warn" role="note">Secrets will be shared as they are: passwords and tokens in command lines stay readable.</p>}

      <h3 className="share-h">Preview <span className="share-muted" aria-live="polite">
        {prep.busy ? 'preparing…' : `${totalChanges} change${totalChanges === 1 ? '' : 's'}`}</span></h3>
      {prep.error && <p className="share-error-message" role="alert">Could not prepare the share: {prep.error}</p>}
      {prepared && <Preview inputs={prepared.preview} unlisted={prepared.unlisted} />}

      <section className="share-section" aria-label="Link">
        <h3 className="share-h">Link <span className="share-muted">everything is in the link after #, which browsers never send to a server</span></h3>
        <p className={!link || link.comfortable ? 'share-muted' : 'share-warn'} aria-label="Link size">
          {!link || !ready
            ? 'Preparing the link…'
            : link.tooLarge
              ? `Too large for a link (${kb(link.bytes)}): use the share server.`
              : link.comfortable
                ? `Link size: ${kb(link.bytes)}.`
                : `Too large for a comfortable link (${kb(link.bytes)}) — use the share server.`}
        </p>
        {ready && link && !link.tooLarge && (
          <div className="share-row">
            <input className="share-url" readOnly value={linkUrl} aria-label="Share link" onFocus={(e) => e.currentTarget.select()} />
            <button type="button" className="btn btn-primary" onClick={async () => say((await copyText(linkUrl)) ? 'Link copied.' : 'Could not copy: select the link and copy it.')}>Copy link</button>
          </div>
        )}
      </section>

      <section className="share-section" aria-label="Share server">
        <h3 className="share-h">Share server <span className="share-muted">encrypted here; the server stores only ciphertext, the key stays in the link</span></h3>
        <div className="share-row">
          <label>Expires after{' '}
            <select value={days} onChange={(e) => setDays(Number(e.target.value))} aria-label="Expires after">
              {EXPIRY_DAYS.map((d) => <option key={d} value={d}>{d} day{d === 1 ? '' : 's'}</option>)}
            </select>
          </label>
          <button type="button" className="btn" disabled={server.kind === 'busy' || !ready} onClick={shareViaServer}>
            {server.kind === 'busy' ? 'Encrypting and uploading…' : 'Share via server'}
          </button>
        </div>
        {server.kind === 'error' && <p className="share-error-message" role="alert">{server.message}</p>}
        {server.kind === 'done' && (
          <div className="share-done">
            <div className="share-row">
              <input className="share-url" readOnly value={server.share.url} aria-label="Server share link" onFocus={(e) => e.currentTarget.select()} />
              <button type="button" className="btn btn-primary" onClick={async () => say((await copyText(server.share.url)) ? 'Link copied.' : 'Could not copy: select the link and copy it.')}>Copy</button>
              <button type="button" className="btn share-danger" onClick={() => void remove(server.share)}>Delete</button>
            </div>
            <p className="share-muted">Expires {new Date(server.share.expiresAt).toLocaleString()}. This browser keeps the delete token; anyone with the link can read the snapshot until then.</p>
          </div>
        )}
        {saved.filter((s) => server.kind !== 'done' || s.id !== server.share.id).length > 0 && (
          <details className="share-saved">
            <summary>Your other shares from this browser</summary>
            <ul>
              {saved.filter((s) => server.kind !== 'done' || s.id !== server.share.id).map((s) => (
                <li key={s.id}>
                  <span className="mono">{s.id}</span> <span className="share-muted">expires {new Date(s.expiresAt).toLocaleDateString()}</span>{' '}
                  <button type="button" className="btn btn-small" onClick={async () => say((await copyText(s.url)) ? 'Link copied.' : 'Could not copy.')}>Copy link</button>{' '}
                  <button type="button" className="btn btn-small share-danger" onClick={() => void remove(s)} aria-label={`Delete share ${s.id}`}>Delete</button>
                </li>
              ))}
            </ul>
          </details>
        )}
      </section>

      <section className="share-section" aria-label="Write-up">
        <div className="share-row">
          <button type="button" className="btn" disabled={!ready} onClick={() => void copyMarkdown()}>Copy as Markdown</button>
          <span className="share-muted">a postmortem section built from the redacted inputs, with the link</span>
        </div>
      </section>
      <p className="share-note" role="status" aria-live="polite">{note}</p>
    </dialog>
  );
}
