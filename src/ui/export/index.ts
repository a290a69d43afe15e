// Exporting the drawings (loaded on the first Export click, not with the views):
// the state diagram, the focus-mode tidy tree, and the tree view's rows as a forest.
import type { Process, Snapshot } from '../../model/snapshot.ts';
import { STATE_LEGEND } from '../lib/states.ts';
import type { TreeRow } from '../lib/tree.ts';
import { fileSafe, saveDrawing } from './download.ts';
import { forestLayout } from './forest.ts';
import { forestSvg } from './forestSvg.ts';
import { standaloneSvg } from './standalone.ts';
import { stateColor } from './theme.ts';

export type ExportKind = 'svg' | 'png';

function about(snapshot: Snapshot): string {
  const parts = [snapshot.meta.host, snapshot.takenAt ?? snapshot.meta.clock ?? (snapshot.label !== 'snapshot' ? snapshot.label : undefined)];
  return parts.filter(Boolean).join(' · ');
}

function baseName(what: string, snapshot: Snapshot): string {
  const host = snapshot.meta.host ? fileSafe(snapshot.meta.host) : '';
  return ['procscope', what, host].filter(Boolean).join('-');
}

export async function exportStates(svg: SVGSVGElement, snapshot: Snapshot, unit: string, kind: ExportKind): Promise<void> {
  const ctx = about(snapshot);
  const framed = standaloneSvg(svg, {
    title: `Process states (${unit})${ctx ? ` · ${ctx}` : ''}`,
    legend: STATE_LEGEND.map((l) => ({ color: stateColor(l.letters[0]), text: `${l.letters}: ${l.text}`, dashed: l.tone === 'gone' })),
  });
  await saveDrawing(framed, baseName('states', snapshot), kind);
}

export async function exportFocusTree(svg: SVGSVGElement, pid: number, snapshot: Snapshot, kind: ExportKind): Promise<void> {
  const ctx = about(snapshot);
  const framed = standaloneSvg(svg, { title: `Ancestors and descendants of PID ${pid}${ctx ? ` · ${ctx}` : ''}` });
  await saveDrawing(framed, baseName(`tree-${pid}`, snapshot), kind);
}

export async function exportForest(rows: readonly TreeRow[], byPid: ReadonlyMap<number, Process>, snapshot: Snapshot, filter: string, kind: ExportKind): Promise<void> {
  const layout = forestLayout(rows, byPid);
  const ctx = about(snapshot);
  const title = `Process tree${ctx ? ` · ${ctx}` : ''} · ${snapshot.counts.processes.toLocaleString('en-US')} processes${filter ? ` · ${filter}` : ''}`;
  await saveDrawing(forestSvg(layout, title), baseName('tree', snapshot), kind);
}
