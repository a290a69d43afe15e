import { useNav } from '../context.ts';

/** A PID that selects its process everywhere (tree, table, details) when clicked. */
export function Pid({ pid, snap, label }: { pid: number; snap?: number; label?: string }) {
  const nav = useNav();
  const selected = nav.view.pid === pid;
  return (
    <button
      type="button"
      className={`pid-link${selected ? ' selected' : ''}`}
      aria-label={`Select PID ${pid}`}
      aria-pressed={selected}
      onClick={(e) => { e.stopPropagation(); nav.select(pid, { open: true, snap }); }}
    >
      {label ?? pid}
    </button>
  );
}
