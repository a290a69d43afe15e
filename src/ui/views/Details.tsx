// Process details: every field with the input line it came from, ancestry, children, threads,
// kernel stack, kernel-log reports and the findings that cite the process.
import type { Process } from '../../model/snapshot.ts';
import { Pid } from '../components/Pid.tsx';
import { StateBadge } from '../components/StateBadge.tsx';
import { useData, useNav } from '../context.ts';
import { commandOf } from '../lib/filter.ts';
import { DETAIL_FIELDS, fieldSource, refLabel } from '../lib/provenance.ts';
import { stateInfo } from '../lib/states.ts';
import { ancestorsOf } from '../lib/tree.ts';
import { FindingCard } from './Findings.tsx';

const MAX_CHILDREN = 60;
const MAX_THREADS = 200;

function Fields({ p }: { p: Process }) {
  const { snapshot, lines } = useData();
  const rows: { label: string; value: string; from?: string; raw?: string }[] = [];
  for (const f of DETAIL_FIELDS) {
    const v = (p as unknown as Record<string, unknown>)[f.key];
    if (v === undefined || v === null || v === '') continue;
    if (f.key === 'state') continue;
    const ref = fieldSource(snapshot, p, f.key === 'hostPid' ? 'nspid' : f.key);
    const info = ref ? snapshot.sources[ref.s] : undefined;
    rows.push({
      label: f.label,
      value: f.fmt ? f.fmt(v) : String(v),
      from: ref ? refLabel(snapshot, ref) : undefined,
      raw: ref && info ? lines.line(info.input, ref.line) : undefined,
    });
  }
  if (p.extra) {
    for (const [k, v] of Object.entries(p.extra)) {
      const ref = fieldSource(snapshot, p, 'extra');
      rows.push({ label: k, value: v, from: ref ? refLabel(snapshot, ref) : undefined });
    }
  }
  return (
    <table className="fields">
      <tbody>
        {rows.map((r) => (
          <tr key={r.label}>
            <th scope="row">{r.label}</th>
            <td className={r.label === 'Command' ? 'mono wrap' : undefined}>{r.value}</td>
            <td className="from">{r.from && <span title={r.raw ?? ''}>{r.from}</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default function Details() {
  const { snapshot, byPid, findingsByPid, lines, analysis } = useData();
  const nav = useNav();
  const pid = nav.view.pid;
  const p = pid !== null ? byPid.get(pid) : undefined;
  const close = () => nav.update({ details: false });

  if (!p) {
    return (
      <aside className="details" aria-label="Process details">
        <header><h2>PID {pid}</h2><button type="button" className="icon" aria-label="Close details" onClick={close}>×</button></header>
        <p className="muted">PID {pid} is not in {analysis.snapshots.length > 1 ? 'this snapshot' : 'the input'}.</p>
      </aside>
    );
  }

  const chain = ancestorsOf(p.pid, byPid).reverse();
  const findings = findingsByPid.get(p.pid) ?? [];
  const stack = p.stack ?? p.kernelTasks.find((k) => k.stack.length > 0)?.stack;
  const conflicts = snapshot.conflicts.filter((c) => c.pid === p.pid);
  const seenSrc = new Set<string>();

  return (
    <aside className="details" aria-label="Process details">
      <header>
        <h2><StateBadge state={p.state} stat={p.stat} /> <span className="num">{p.pid}</span> <span className="cmd">{p.comm ?? commandOf(p)}</span></h2>
        <button type="button" className="icon" aria-label="Close details" title="Close (Esc)" onClick={close}>×</button>
      </header>
      <p className="state-line">{stateInfo(p.state).letter} {stateInfo(p.state).name}: {stateInfo(p.state).means}{p.wchan ? <> · waiting in <code>{p.wchan}</code></> : null}</p>

      <nav className="ancestry" aria-label="Ancestry">
        {chain.length === 0 && <span className="muted">{p.ppid === 0 ? 'a root (PPID 0)' : p.ppid === null ? 'parent unknown' : `parent ${p.ppid} is not in the input`}</span>}
        {chain.map((a) => (
          <span key={a.pid} className="crumb"><Pid pid={a.pid} /> <span className="muted">{a.comm ?? commandOf(a).split(' ', 1)[0]}</span> ›</span>
        ))}
        {chain.length > 0 && <span className="crumb current">{p.pid}</span>}
      </nav>

      {findings.length > 0 && (
        <section aria-label="Findings citing this process">
          <h3>Findings ({findings.length})</h3>
          {findings.map((f, i) => (
            <details key={i} className="finding-compact">
              <summary><span className={`sev sev-${f.severity}`}>{f.severity}</span> {f.title}</summary>
              <FindingCard f={f} multiSnap={analysis.snapshots.length > 1} />
            </details>
          ))}
        </section>
      )}

      {conflicts.length > 0 && (
        <section>
          <h3>Inputs disagree</h3>
          <ul className="plain">
            {conflicts.map((c, i) => (
              <li key={i}>{c.message} {c.values.map((v, k) => <code key={k} title={refLabel(snapshot, v.src)}>{v.value}</code>)}</li>
            ))}
          </ul>
        </section>
      )}

      {stack && stack.length > 0 && (
        <section>
          <h3>Kernel stack</h3>
          <pre className="stack">{stack.join('\n')}</pre>
        </section>
      )}

      <section>
        <h3>Fields</h3>
        <p className="muted">Hover a source to see its input line.</p>
        <Fields p={p} />
      </section>

      {p.threads.length > 0 && (
        <section>
          <h3>Threads ({p.threads.length.toLocaleString('en-US')})</h3>
          <table className="threads">
            <thead><tr><th>TID</th><th>S</th><th>wchan</th><th>comm</th><th className="num">%CPU</th></tr></thead>
            <tbody>
              {p.threads.slice(0, MAX_THREADS).map((t) => (
                <tr key={t.tid}>
                  <td className="num">{t.tid}</td>
                  <td><StateBadge state={t.state} small /></td>
                  <td className="mono">{t.wchan ?? ''}</td>
                  <td className="mono">{t.comm ?? ''}</td>
                  <td className="num">{t.pcpu !== undefined ? t.pcpu.toFixed(1) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {p.threads.length > MAX_THREADS && <p className="muted">… {p.threads.length - MAX_THREADS} more threads</p>}
        </section>
      )}

      {p.children.length > 0 && (
        <section>
          <h3>Children ({p.children.length.toLocaleString('en-US')}) · subtree {p.subtreeSize.toLocaleString('en-US')}</h3>
          <ul className="plain children">
            {p.children.slice(0, MAX_CHILDREN).map((c) => {
              const k = byPid.get(c);
              return <li key={c}><Pid pid={c} /> <StateBadge state={k?.state} small /> <span className="cmd">{k ? commandOf(k) : ''}</span></li>;
            })}
            {p.children.length > MAX_CHILDREN && <li className="muted">… {p.children.length - MAX_CHILDREN} more</li>}
          </ul>
        </section>
      )}

      {p.kernelTasks.length > 0 && (
        <section>
          <h3>Kernel log</h3>
          {p.kernelTasks.map((k, i) => (
            <div key={i} className="ktask">
              <p className="muted">{k.source} · line {k.line}{k.blockedSec ? ` · blocked ${k.blockedSec}s` : ''}{k.lockOwner ? ` · lock owned by ${k.lockOwner.comm}:${k.lockOwner.pid}` : ''}</p>
              <pre className="stack">{k.text.join('\n')}</pre>
            </div>
          ))}
        </section>
      )}

      <section>
        <h3>Input lines</h3>
        <ul className="plain src-lines">
          {p.src.map((ref) => {
            const info = snapshot.sources[ref.s];
            const key = `${ref.s}:${ref.line}`;
            // A process with thousands of thread rows (ps -eLf) lists the first lines only.
            if (!info || seenSrc.has(key) || seenSrc.size >= 60) return null;
            seenSrc.add(key);
            return (
              <li key={key}>
                <span className="muted">{info.input}:{ref.line} · {info.format}{info.variant ? ` ${info.variant}` : ''}</span>
                <code className="raw-line">{lines.line(info.input, ref.line) ?? ''}</code>
              </li>
            );
          })}
        </ul>
      </section>
    </aside>
  );
}
