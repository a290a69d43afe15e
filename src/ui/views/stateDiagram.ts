// The kernel's task states as a state machine, drawn with d3-selection + d3-shape (not all of d3).
// Each state is sized and labelled by how many tasks are in it; text goes in with .text() only.
import { select } from 'd3-selection';
import { curveNatural, line } from 'd3-shape';
import { STATE_INFO, stateClass } from '../lib/states.ts';

type XY = [number, number];

/** Fixed layout: fork → R at the centre-left, the sleeps and stops to the right, exit below. */
const POS: Record<string, XY> = {
  fork: [60, 230], R: [250, 230], S: [440, 75], D: [540, 230], T: [440, 385], t: [630, 355],
  Z: [250, 395], reaped: [70, 395], I: [110, 85], X: [785, 300], W: [785, 395], P: [785, 110],
};

interface Edge { from: string; to: string; label: string; bend: number; dashed?: boolean }

const EDGES: Edge[] = [
  { from: 'fork', to: 'R', label: 'fork()', bend: 0 },
  { from: 'R', to: 'S', label: 'waits', bend: -20 },
  { from: 'S', to: 'R', label: 'woken', bend: -20 },
  { from: 'R', to: 'D', label: 'I/O, lock', bend: -20 },
  { from: 'D', to: 'R', label: 'done', bend: -20 },
  { from: 'R', to: 'T', label: 'SIGSTOP', bend: -20 },
  { from: 'T', to: 'R', label: 'SIGCONT', bend: -20 },
  { from: 'R', to: 't', label: 'ptrace', bend: -16 },
  { from: 't', to: 'R', label: 'detach', bend: -16 },
  { from: 'R', to: 'Z', label: 'exit()', bend: 0 },
  { from: 'Z', to: 'reaped', label: "parent's wait()", bend: 0 },
  { from: 'R', to: 'I', label: 'kthread idles', bend: -14, dashed: true },
  { from: 'I', to: 'R', label: 'work', bend: -14, dashed: true },
];

export const DIAGRAM_STATES = ['R', 'S', 'D', 'T', 't', 'Z', 'I', 'X', 'W', 'P'] as const;

export interface DiagramOptions {
  counts: Record<string, number>;
  unit: 'processes' | 'threads';
  selected: string | null;
  onPick(letter: string): void;
}

function radius(n: number, max: number): number {
  return max > 0 ? 17 + 27 * Math.sqrt(n / max) : 17;
}

/** Point on the boundary of a circle of radius r around c, towards p. */
function toward(c: XY, p: XY, r: number): XY {
  const dx = p[0] - c[0];
  const dy = p[1] - c[1];
  const d = Math.hypot(dx, dy) || 1;
  return [c[0] + (dx / d) * r, c[1] + (dy / d) * r];
}

const curve = line<XY>().curve(curveNatural);

export function drawStateDiagram(svgEl: SVGSVGElement, opts: DiagramOptions): void {
  const { counts, unit, selected, onPick } = opts;
  const shown = DIAGRAM_STATES.filter((s) => s !== 'P' || (counts.P ?? 0) > 0);
  const max = Math.max(0, ...shown.map((s) => counts[s] ?? 0));
  const r = (s: string) => (s === 'fork' || s === 'reaped' ? 0 : radius(counts[s] ?? 0, max));

  const svg = select(svgEl);
  svg.attr('viewBox', '0 0 860 450');

  // Arrowhead marker, defined once.
  let defs = svg.select<SVGDefsElement>('defs');
  if (defs.empty()) {
    defs = svg.append('defs');
    defs.append('marker').attr('id', 'arrow').attr('viewBox', '0 0 10 10').attr('refX', 9).attr('refY', 5)
      .attr('markerWidth', 7).attr('markerHeight', 7).attr('orient', 'auto-start-reverse')
      .append('path').attr('d', 'M0,0L10,5L0,10z').attr('class', 'arrowhead');
  }

  // The "not expected on modern kernels" box around W and X.
  let box = svg.select<SVGGElement>('g.unexpected-box');
  if (box.empty()) {
    box = svg.append('g').attr('class', 'unexpected-box');
    box.append('rect').attr('x', 715).attr('y', 240).attr('width', 140).attr('height', 205).attr('rx', 10);
    box.append('text').attr('x', 785).attr('y', 258).attr('text-anchor', 'middle').text('not expected on');
    box.append('text').attr('x', 785).attr('y', 272).attr('text-anchor', 'middle').text('modern kernels');
  }

  const edges = EDGES.filter((e) => (e.from === 'fork' || e.from === 'reaped' || shown.includes(e.from as never)) && (e.to === 'fork' || e.to === 'reaped' || shown.includes(e.to as never)));
  const edgePath = (e: Edge): string => {
    const a = POS[e.from];
    const b = POS[e.to];
    const start = toward(a, b, r(e.from) + 3);
    const end = toward(b, a, r(e.to) + 5);
    const mx = (start[0] + end[0]) / 2;
    const my = (start[1] + end[1]) / 2;
    const dx = end[0] - start[0];
    const dy = end[1] - start[1];
    const d = Math.hypot(dx, dy) || 1;
    // Bend perpendicular to the chord so a pair of opposite edges (R⇄S) do not overlap.
    const mid: XY = [mx + (-dy / d) * e.bend, my + (dx / d) * e.bend];
    return curve([start, mid, end]) ?? '';
  };
  // Labels sit just outside the curve's bulge, on the side it bends to.
  const labelAt = (e: Edge): XY => {
    const a = POS[e.from];
    const b = POS[e.to];
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const d = Math.hypot(dx, dy) || 1;
    const off = e.bend === 0 ? -8 : e.bend * 0.5 + (e.bend > 0 ? 12 : -12);
    return [(a[0] + b[0]) / 2 + (-dy / d) * off, (a[1] + b[1]) / 2 + (dx / d) * off + 4];
  };

  svg.selectAll<SVGGElement, Edge>('g.edges').data([0]).join('g').attr('class', 'edges')
    .selectAll<SVGPathElement, Edge>('path').data(edges, (e) => `${e.from}>${e.to}`)
    .join('path')
    .attr('class', (e) => `edge${e.dashed ? ' dashed' : ''}`)
    .attr('d', edgePath)
    .attr('marker-end', 'url(#arrow)');

  svg.selectAll<SVGGElement, Edge>('g.edge-labels').data([0]).join('g').attr('class', 'edge-labels')
    .selectAll<SVGTextElement, Edge>('text').data(edges.filter((e) => e.label), (e) => `${e.from}>${e.to}`)
    .join('text')
    .attr('x', (e) => labelAt(e)[0])
    .attr('y', (e) => labelAt(e)[1])
    .attr('text-anchor', 'middle')
    .text((e) => e.label);

  // fork and reaped are pseudo-states: a birth and a disappearance, not a task state.
  svg.selectAll<SVGGElement, string>('g.pseudo').data(['fork', 'reaped'], (d) => d).join((enter) => {
    const g = enter.append('g').attr('class', 'pseudo');
    g.append('circle').attr('r', 5);
    g.append('text').attr('y', 22).attr('text-anchor', 'middle');
    return g;
  }).attr('transform', (d) => `translate(${POS[d][0]},${POS[d][1]})`)
    .select('text').text((d) => (d === 'fork' ? 'fork' : 'reaped'));

  const nodes = svg.selectAll<SVGGElement, string>('g.node').data(shown, (d) => d).join((enter) => {
    const g = enter.append('g').attr('tabindex', 0).attr('role', 'button');
    g.append('circle').attr('class', 'halo');
    g.append('circle').attr('class', 'disc');
    g.append('text').attr('class', 'letter').attr('text-anchor', 'middle').attr('dy', '0.35em');
    g.append('text').attr('class', 'name').attr('text-anchor', 'middle');
    g.append('text').attr('class', 'count').attr('text-anchor', 'middle');
    g.append('title');
    return g;
  });
  nodes
    .attr('class', (d) => {
      const info = STATE_INFO[d];
      return `node ${stateClass(d)} tone-${info.tone}${(counts[d] ?? 0) === 0 ? ' empty' : ''}${selected === d ? ' selected' : ''}${info.unexpected ? ' unexpected' : ''}`;
    })
    .attr('transform', (d) => `translate(${POS[d][0]},${POS[d][1]})`)
    .attr('aria-pressed', (d) => String(selected === d))
    .attr('aria-label', (d) => `${d} ${STATE_INFO[d].name}: ${counts[d] ?? 0} ${unit}${STATE_INFO[d].unexpected ? ' (not expected on modern kernels)' : ''}`)
    .on('click', (_ev, d) => onPick(d))
    .on('keydown', (ev: KeyboardEvent, d) => {
      if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); ev.stopPropagation(); onPick(d); }
    });
  nodes.select('circle.halo').attr('r', (d) => r(d) + 6);
  nodes.select('circle.disc').attr('r', (d) => r(d));
  nodes.select('text.letter').text((d) => d);
  nodes.select('text.name').attr('y', (d) => r(d) + 15).text((d) => STATE_INFO[d].name);
  nodes.select('text.count').attr('y', (d) => r(d) + 29).text((d) => (counts[d] ?? 0).toLocaleString('en-US'));
  nodes.select('title').text((d) => `${d} ${STATE_INFO[d].name}: ${STATE_INFO[d].means}`);
}

