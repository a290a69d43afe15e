// Process states: the state machine with live counts. Clicking a state filters tree and table.
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { ExportButtons } from '../components/ExportButtons.tsx';
import { Pid } from '../components/Pid.tsx';
import { StateBadge } from '../components/StateBadge.tsx';
import { useData, useNav } from '../context.ts';
import { commandOf, hasState } from '../lib/filter.ts';
import { STATE_INFO, STATE_LEGEND, STATE_ORDER, stateClass } from '../lib/states.ts';
import { drawStateDiagram } from './stateDiagram.ts';

export default function StatesView() {
  const { snapshot } = useData();
  const nav = useNav();
  const svg = useRef<SVGSVGElement>(null);
  const unit = nav.view.unit;
  const counts = unit === 'threads' ? snapshot.counts.threadsByState : snapshot.counts.byState;
  const selected = nav.view.state;

  useEffect(() => {
    if (!svg.current) return;
    drawStateDiagram(svg.current, {
      counts, unit, selected,
      onPick: (s) => nav.setStateFilter(selected === s ? null : s),
    });
  }, [counts, unit, selected, nav]);

  const save = useCallback(async (kind: 'svg' | 'png') => {
    if (!svg.current) throw new Error('the diagram is not on screen');
    const { exportStates } = await import('../export/index.ts');
    await exportStates(svg.current, snapshot, unit, kind);
  }, [snapshot, unit]);

  const inState = useMemo(() => (selected ? snapshot.processes.filter((p) => hasState(p, selected)) : []), [snapshot, selected]);
  const unknown = counts['?'] ?? 0;

  return (
    <section className="states-view" aria-label="Process states">
      <div className="toolbar">
        <div className="segmented" role="group" aria-label="Count">
          <button type="button" aria-pressed={unit === 'processes'} onClick={() => nav.update({ unit: 'processes' })}>Processes</button>
          <button type="button" aria-pressed={unit === 'threads'} onClick={() => nav.update({ unit: 'threads' })}>Threads</button>
        </div>
        <span className="muted">
          {unit === 'threads' && !snapshot.counts.threadsShown ? 'The input has no per-thread rows: each process counts its main thread only. ' : ''}
          Click a state to filter the tree and the table.
        </span>
        <span className="spacer" />
        <ExportButtons what="the state diagram" save={save} />
      </div>
      <div className="diagram-wrap">
        <svg ref={svg} className="state-diagram" role="group" aria-label="State machine of kernel task states" />
        <ul className="legend" aria-label="Legend">
          {STATE_LEGEND.map((l) => (
            <li key={l.tone}><span className={`swatch tone-${l.tone}`} /> <strong>{l.letters}</strong> {l.text}</li>
          ))}
          {unknown > 0 && <li><span className="swatch tone-idle" /> {unknown} with no state in the input</li>}
        </ul>
      </div>
      <div className="state-table">
        <table>
          <thead><tr><th>State</th><th>Meaning</th><th className="num">Processes</th><th className="num">Threads</th></tr></thead>
          <tbody>
            {STATE_ORDER.filter((s) => snapshot.counts.byState[s] || snapshot.counts.threadsByState[s] || ['D', 'R', 'S', 'Z'].includes(s)).map((s) => (
              <tr key={s} className={selected === s ? 'selected' : ''} onClick={() => nav.setStateFilter(selected === s ? null : s)}>
                <td><StateBadge state={s} /> {STATE_INFO[s].name}</td>
                <td className="muted">{STATE_INFO[s].means}</td>
                <td className="num">{(snapshot.counts.byState[s] ?? 0).toLocaleString('en-US')}</td>
                <td className="num">{(snapshot.counts.threadsByState[s] ?? 0).toLocaleString('en-US')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {selected && (
        <div className="state-members">
          <h3><span className={`state ${stateClass(selected)}`}>{selected}</span> {inState.length.toLocaleString('en-US')} processes {STATE_INFO[selected]?.name ?? ''} (or with a thread in it)
            <button type="button" className="btn btn-small" onClick={() => nav.update({ view: 'tree' })}>Show in tree</button>
            <button type="button" className="btn btn-small" onClick={() => nav.update({ view: 'table' })}>Show in table</button>
          </h3>
          <ul>
            {inState.slice(0, 30).map((p) => (
              <li key={p.pid}><Pid pid={p.pid} /> <StateBadge state={p.state} stat={p.stat} small /> <span className="cmd">{commandOf(p)}</span>{p.wchan ? <span className="muted"> · {p.wchan}</span> : null}</li>
            ))}
            {inState.length > 30 && <li className="muted">… {inState.length - 30} more in the tree and table</li>}
          </ul>
        </div>
      )}
    </section>
  );
}
