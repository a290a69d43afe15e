// collect.sh: what to run on the sick host. Served as a static file next to the app.
import { CopyButton } from '../components/CopyButton.tsx';

export function Collector() {
  return (
    <section className="collector" aria-label="Collector">
      <h2>Capture everything at once</h2>
      <p>
        Run <code>sh collect.sh &gt; bundle.txt</code> on the host, then drop or paste <code>bundle.txt</code> here.
      </p>
      <p className="muted">
        Safe on a sick host: every read is bounded by <code>timeout</code>, it never reads what a stuck (D) process's memory lock guards,
        and it needs nothing beyond procps and coreutils.
      </p>
      <div className="row">
        <CopyButton label="Copy collect.sh" getText={async () => {
          const res = await fetch('./collect.sh');
          if (!res.ok) throw new Error(`collect.sh: HTTP ${res.status}`);
          return res.text();
        }} />
        <a className="btn btn-small" href="./collect.sh" download="collect.sh">Download collect.sh</a>
        <span className="muted">or <code>npx procscope collect</code></span>
      </div>
    </section>
  );
}
