import { useEffect, useRef, useState } from 'react';

type Kind = 'svg' | 'png';

/** "Export SVG" / "Export PNG" for a drawing; `save` builds the file and starts the download. */
export function ExportButtons({ what, save }: { what: string; save(kind: Kind): Promise<void> }) {
  const [busy, setBusy] = useState<Kind | null>(null);
  const [note, setNote] = useState('');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const run = async (kind: Kind) => {
    setBusy(kind);
    setNote('');
    clearTimeout(timer.current);
    try {
      await save(kind);
      setNote(`${kind.toUpperCase()} saved`);
    } catch (e) {
      setNote(`Export failed: ${(e as Error).message || 'unknown error'}`);
    } finally {
      setBusy(null);
      timer.current = setTimeout(() => setNote(''), 4000);
    }
  };

  return (
    <span className="export-buttons" role="group" aria-label={`Export ${what}`}>
      <button type="button" className="btn btn-small" disabled={busy !== null} onClick={() => void run('svg')}
        title={`Save ${what} as an SVG file, in the current theme`}>Export SVG</button>
      <button type="button" className="btn btn-small" disabled={busy !== null} onClick={() => void run('png')}
        title={`Save ${what} as a PNG image at 2× scale, in the current theme`}>Export PNG</button>
      <span className="export-note muted" role="status">{busy ? 'Exporting…' : note}</span>
    </span>
  );
}
