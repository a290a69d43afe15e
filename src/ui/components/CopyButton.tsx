import { useState } from 'react';

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API refused (no permission, insecure origin): fall back to a hidden textarea.
    const ta = document.createElement('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    document.body.appendChild(ta);
    ta.select();
    let ok = false;
    try { ok = document.execCommand('copy'); } catch { ok = false; }
    ta.remove();
    return ok;
  }
}

export function CopyButton({ text, label = 'Copy', title, getText, className = '' }: { text?: string; label?: string; title?: string; getText?: () => Promise<string>; className?: string }) {
  const [done, setDone] = useState<null | boolean>(null);
  return (
    <button
      type="button"
      className={`btn btn-small copy${done ? ' done' : ''}${className ? ` ${className}` : ''}`}
      aria-label={title ?? label}
      title={title ?? label}
      onClick={async () => {
        try {
          const t = getText ? await getText() : text ?? '';
          setDone(await copyText(t));
        } catch {
          setDone(false);
        }
        // Long enough to be seen after the pointer has left the button.
        setTimeout(() => setDone(null), 2000);
      }}
    >
      <span className="copy-label" aria-live="polite">{done === null ? label : done ? 'Copied' : 'Failed'}</span>
    </button>
  );
}
