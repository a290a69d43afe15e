import { useEffect, useRef } from 'react';

export const SHORTCUTS: [string, string][] = [
  ['/', 'search (PID, user, command, wchan)'],
  ['j / k', 'next / previous process in the tree or table'],
  ['Enter', 'open the selected process'],
  ['Esc', 'close the dialog, the details, focus mode, or clear the filter'],
  ['1 – 4', 'Overview, Process states, Process tree, Process table'],
  ['← / →', 'collapse / expand the selected process in the tree'],
  ['f', 'focus mode: draw the selected process’s ancestors and descendants'],
  ['[ / ]', 'previous / next snapshot in the timeline'],
  ['i', 'show or hide the input'],
  ['t', 'switch between dark and light'],
  ['?', 'this list'],
];

export function ShortcutsDialog({ onClose }: { onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog ref={ref} className="dialog" aria-label="Keyboard shortcuts" onClose={onClose} onCancel={(e) => { e.preventDefault(); onClose(); }}>
      <header><h2>Keyboard shortcuts</h2><button type="button" className="icon" aria-label="Close" onClick={onClose}>×</button></header>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map(([k, what]) => <tr key={k}><td><kbd>{k}</kbd></td><td>{what}</td></tr>)}
        </tbody>
      </table>
    </dialog>
  );
}
