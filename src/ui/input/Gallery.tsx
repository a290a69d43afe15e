// Real captures shipped with the app (samples/, copied into the build as static files). Opening
// one fetches its files from this same server: a GET of a static file, carrying no user data.
import { useEffect, useState } from 'react';
import type { InputFile } from '../hooks/useAnalysis.ts';

export interface SampleCase {
  id: string;
  /** The README line: how the situation was made. */
  about: string;
  files: { name: string; bytes: number }[];
  /** Rule ids a reviewer confirmed in expected.json. */
  rules: string[];
}

export async function loadSampleIndex(): Promise<SampleCase[]> {
  const res = await fetch('./samples/index.json');
  if (!res.ok) throw new Error(`samples/index.json: HTTP ${res.status}`);
  const body = (await res.json()) as { cases?: SampleCase[] };
  return Array.isArray(body.cases) ? body.cases : [];
}

export async function loadSample(c: SampleCase): Promise<InputFile[]> {
  return Promise.all(c.files.map(async (f) => {
    const res = await fetch(`./samples/${encodeURIComponent(c.id)}/${encodeURIComponent(f.name)}`);
    if (!res.ok) throw new Error(`${c.id}/${f.name}: HTTP ${res.status}`);
    return { name: f.name, text: await res.text() };
  }));
}

export function Gallery({ onOpen, compact }: { onOpen(inputs: InputFile[], id: string): void; compact?: boolean }) {
  const [cases, setCases] = useState<SampleCase[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [loading, setLoading] = useState<string | null>(null);

  useEffect(() => {
    loadSampleIndex().then(setCases, (e: Error) => setError(e.message));
  }, []);

  const shown = (cases ?? []).filter((c) => !filter || `${c.id} ${c.about} ${c.rules.join(' ')}`.toLowerCase().includes(filter.toLowerCase()));
  return (
    <section className={`gallery${compact ? ' compact' : ''}`} aria-label="Samples">
      <div className="gallery-head">
        <h2>Samples</h2>
        <span className="muted">real captures from real hosts</span>
        <input type="search" placeholder="Filter samples" aria-label="Filter samples" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </div>
      {error && <p className="muted">The sample gallery is not available here ({error}).</p>}
      {!cases && !error && <p className="muted">Loading…</p>}
      {cases && cases.length === 0 && <p className="muted">No samples in this build.</p>}
      <ul className="gallery-list">
        {shown.map((c) => (
          <li key={c.id}>
            <button type="button" className="sample" disabled={loading !== null} aria-label={`${c.id}: ${c.about}`}
              onClick={async () => {
                setLoading(c.id);
                try { onOpen(await loadSample(c), c.id); } catch (e) { setError((e as Error).message); } finally { setLoading(null); }
              }}>
              <span className="sample-id">{c.id}{loading === c.id ? ' …' : ''}</span>
              <span className="sample-about">{c.about}</span>
              <span className="sample-meta">
                <span className="muted">{c.files.map((f) => f.name).join(', ')}</span>
                {c.rules.map((r) => <span key={r} className="rule-chip">{r}</span>)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
