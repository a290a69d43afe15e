// xsos-style summary of the moment (host, time, totals, states per process and per thread, load
// against CPUs), then the findings, most severe first.
import { Pid } from '../components/Pid.tsx';
import { StateBadge } from '../components/StateBadge.tsx';
import { useData, useNav } from '../context.ts';
import { commandOf } from '../lib/filter.ts';
import { duration, fmtInt, kib } from '../lib/provenance.ts';
import { STATE_ORDER, stateInfo } from '../lib/states.ts';
import { FindingsList } from './Findings.tsx';
import { overviewFacts } from '../lib/overviewFacts.ts';
import { useMemo } from 'react';

function StateCounts({ counts, label }: { counts: Record<string, number>; label: string }) {
  const nav = useNav();
  const letters = [...STATE_ORDER.filter((s) => counts[s]), ...Object.keys(counts).filter((s) => !(STATE_ORDER as readonly string[]).includes(s))];
  return (
    <div className="state-counts" aria-label={label}>
      {letters.length === 0 && <span className="muted">unknown</span>}
      {letters.map((s) => (
        <button key={s} type="button" className="state-count" title={`Show ${stateInfo(s).name} (${s}) processes in the tree`}
          onClick={() => { nav.setStateFilter(s); nav.update({ view: 'tree' }); }}>
          <StateBadge state={s === '?' ? null : s} small /> <span className="num">{fmtInt(counts[s])}</span> <span className="muted">{stateInfo(s).name}</span>
        </button>
      ))}
    </div>
  );
}

export default function Overview() {
  const { analysis, snapshot, facts: given, analyseMs } = useData();
  const facts = useMemo(() => given ?? overviewFacts(snapshot), [given, snapshot]);
  const m = snapshot.meta;
  const c = snapshot.counts;
  const kthreads = facts.kernelThreads;
  const users = facts.users;
  const perCpu = m.load && m.nCpu ? m.load[0] / m.nCpu : null;
  const hot = facts.topCpu;
  const fat = facts.topRss;
  const when = snapshot.takenAt ?? m.takenAt ?? m.clock;

  return (
    <div className="overview">
      <FindingsList />
      <section className="overview-side" aria-label="Summary">
        <div className="card">
          <h3>Host</h3>
          <dl>
            <dt>host</dt><dd>{m.host ?? <span className="muted">unknown</span>}</dd>
            <dt>taken</dt><dd>{when ?? <span className="muted">unknown (ps START times are relative)</span>}</dd>
            {(m.kernel || m.uname) && <><dt>kernel</dt><dd className="mono">{m.kernel ?? m.uname}</dd></>}
            {m.uptimeSec !== undefined && <><dt>uptime</dt><dd>{duration(m.uptimeSec)}</dd></>}
            {m.nCpu !== undefined && <><dt>CPUs</dt><dd className="num">{m.nCpu}</dd></>}
          </dl>
        </div>
        <div className="card">
          <h3>Load</h3>
          {m.load ? (
            <>
              <p className="load num">{m.load.map((l) => l.toFixed(2)).join('  ')}</p>
              {perCpu !== null ? (
                <>
                  <div className="loadbar" role="img" aria-label={`1-minute load is ${perCpu.toFixed(2)} per CPU`}>
                    <span style={{ width: `${Math.min(100, (perCpu / 4) * 100)}%` }} className={perCpu > 2 ? 'hot' : perCpu > 1 ? 'warm' : ''} />
                  </div>
                  <p className="muted">{perCpu.toFixed(2)} per CPU on {m.nCpu} CPUs{perCpu > 1 ? ' — more work than CPUs (D tasks count in load too)' : ''}</p>
                </>
              ) : <p className="muted">CPU count unknown: add <code>nproc</code> to compare.</p>}
              {m.runnable !== undefined && m.totalTasks !== undefined && (
                <p className="muted">runnable {fmtInt(m.runnable)} of {fmtInt(m.totalTasks)} threads (loadavg)</p>
              )}
            </>
          ) : <p className="muted">No load average in the input (add <code>cat /proc/loadavg</code>).</p>}
          {m.topTasks && (
            <p className="muted">top: {m.topTasks.total} {m.topTasks.unit}, {m.topTasks.running} running, {m.topTasks.sleeping} sleeping{m.topTasks.dsleep !== undefined ? `, ${m.topTasks.dsleep} D` : ''}, {m.topTasks.stopped} stopped, {m.topTasks.zombie} zombie</p>
          )}
          {m.memKiB?.total !== undefined && (
            <p className="muted">memory {kib(m.memKiB.total)}{m.memKiB.avail !== undefined ? `, ${kib(m.memKiB.avail)} available` : ''}{m.memKiB.swapUsed ? `, swap used ${kib(m.memKiB.swapUsed)}` : ''}</p>
          )}
        </div>
        <div className="card">
          <h3>Totals</h3>
          <dl>
            <dt>processes</dt><dd className="num">{fmtInt(c.processes)}</dd>
            <dt>threads</dt><dd className="num">{c.threadsShown ? fmtInt(c.threads) : <span className="muted">not in the input</span>}</dd>
            <dt>kernel threads</dt><dd className="num">{fmtInt(kthreads)}</dd>
            <dt>users</dt><dd className="num">{fmtInt(users)}</dd>
            {snapshot.kernelTasks.length > 0 && <><dt>kernel-log tasks</dt><dd className="num">{snapshot.kernelTasks.length} not matched to a process</dd></>}
            {snapshot.conflicts.length > 0 && <><dt>disagreements</dt><dd className="num">{snapshot.conflicts.length} (inputs differ; both kept)</dd></>}
          </dl>
        </div>
        <div className="card">
          <h3>States</h3>
          <div className="states-pair">
            <div><span className="muted">per process</span><StateCounts counts={c.byState} label="States per process" /></div>
            <div>
              <span className="muted">per thread{c.threadsShown ? '' : ' (no thread rows in the input: main threads only)'}</span>
              <StateCounts counts={c.threadsByState} label="States per thread" />
            </div>
          </div>
        </div>
        {(hot.length > 0 || fat.length > 0) && (
          <div className="card tops">
            {hot.length > 0 && (
              <div>
                <h3>Top CPU</h3>
                <ol>{hot.map((p) => <li key={p.pid}><span className="num pct">{p.pcpu?.toFixed(1)}%</span> <Pid pid={p.pid} /> <span className="cmd">{commandOf(p)}</span></li>)}</ol>
              </div>
            )}
            {fat.length > 0 && (
              <div>
                <h3>Top memory (RSS)</h3>
                <ol>{fat.map((p) => <li key={p.pid}><span className="num pct">{kib(p.rssKiB ?? 0)}</span> <Pid pid={p.pid} /> <span className="cmd">{commandOf(p)}</span></li>)}</ol>
              </div>
            )}
          </div>
        )}
        <div className="card">
          <h3>Inputs</h3>
          {analyseMs !== null && <p className="muted" data-analyse-ms={Math.round(analyseMs)}>read, joined and diagnosed in this browser in {analyseMs < 1000 ? `${Math.round(analyseMs)} ms` : `${(analyseMs / 1000).toFixed(1)} s`}</p>}
          <ul className="inputs-list">
            {analysis.ingest.inputs.map((i) => (
              <li key={i.name}>
                <strong>{i.name}</strong> <span className="muted num">{fmtInt(i.lines)} lines</span>
                {i.sections.map((s, k) => (
                  <span key={k} className="section-chip">{s.format}{s.variant ? ` ${s.variant}` : ''} <span className="muted">{s.firstLine}–{s.lastLine}</span></span>
                ))}
              </li>
            ))}
          </ul>
        </div>
      </section>
    </div>
  );
}
