// Focus mode: the selected process's ancestors and descendants as a tidy tree (d3-hierarchy),
// drawn as React SVG elements (text stays text).
import { hierarchy, tree, type HierarchyPointNode } from 'd3-hierarchy';
import { linkHorizontal } from 'd3-shape';
import { useMemo } from 'react';
import { useData, useNav } from '../context.ts';
import { ancestorsOf } from '../lib/tree.ts';
import { stateClass } from '../lib/states.ts';

const MAX_DESCENDANTS = 400;

interface N { pid: number; children: N[]; more?: number }

export default function FocusTree({ pid }: { pid: number }) {
  const { byPid } = useData();
  const nav = useNav();

  const { root, hidden } = useMemo(() => {
    // The chain from the top ancestor down to the selection, then the selection's subtree (BFS,
    // capped so a focus on PID 1 of a 100k host still draws).
    const chain = ancestorsOf(pid, byPid).reverse();
    const self: N = { pid, children: [] };
    let budget = MAX_DESCENDANTS;
    let hidden = 0;
    const queue: N[] = [self];
    while (queue.length > 0) {
      const n = queue.shift()!;
      const p = byPid.get(n.pid);
      if (!p) continue;
      for (const c of p.children) {
        if (budget <= 0) { hidden += byPid.get(c)?.subtreeSize ?? 1; n.more = (n.more ?? 0) + 1; continue; }
        budget--;
        const child: N = { pid: c, children: [] };
        n.children.push(child);
        queue.push(child);
      }
    }
    let top = self;
    for (let i = chain.length - 1; i >= 0; i--) top = { pid: chain[i].pid, children: [top] };
    return { root: top, hidden };
  }, [pid, byPid]);

  const layout = useMemo(() => {
    const h = hierarchy<N>(root, (d) => d.children);
    const t = tree<N>().nodeSize([20, 210])(h);
    let minX = Infinity, maxX = -Infinity, maxY = 0;
    t.each((n) => { minX = Math.min(minX, n.x); maxX = Math.max(maxX, n.x); maxY = Math.max(maxY, n.y); });
    return { t, minX, maxX, maxY };
  }, [root]);

  const link = linkHorizontal<unknown, HierarchyPointNode<N>>().x((d) => d.y).y((d) => d.x);
  const pad = 20;
  const width = layout.maxY + 360;
  const height = layout.maxX - layout.minX + pad * 2;
  const nodes = layout.t.descendants();

  return (
    <div className="focus-tree">
      <p className="muted">
        Ancestors and descendants of {pid}. {hidden > 0 ? `${hidden.toLocaleString('en-US')} more descendants not drawn. ` : ''}Click a process to select it; Esc leaves focus mode.
      </p>
      <svg width={width} height={height} role="group" aria-label={`Ancestors and descendants of ${pid}`}>
        <g transform={`translate(${pad},${pad - layout.minX})`}>
          {layout.t.links().map((l) => <path key={`${l.source.data.pid}>${l.target.data.pid}`} className="focus-link" d={link(l) ?? ''} />)}
          {nodes.map((n) => {
            const p = byPid.get(n.data.pid);
            const label = `${n.data.pid} ${p?.comm ?? p?.args ?? '?'}`;
            return (
              <g key={n.data.pid} transform={`translate(${n.y},${n.x})`} className={`focus-node ${stateClass(p?.state)}${n.data.pid === pid ? ' selected' : ''}`}
                role="button" tabIndex={0} aria-label={`Select PID ${n.data.pid}`}
                onClick={() => nav.select(n.data.pid, { open: true })}
                onKeyDown={(e) => { if (e.key === 'Enter') nav.select(n.data.pid, { open: true }); }}>
                <circle r={5} />
                <text x={9} dy="0.32em">{label.length > 34 ? `${label.slice(0, 33)}…` : label}{n.data.more ? ` (+${n.data.more})` : ''}</text>
                <title>{`${p?.state ?? '?'} ${p?.args ?? p?.comm ?? ''}`}</title>
              </g>
            );
          })}
        </g>
      </svg>
    </div>
  );
}
