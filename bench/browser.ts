// Browser figures for `npm run bench`: the built app in headless Chromium on 100k-process inputs
// made from real sample rows. Reported, never asserted (shared machines are noisy).
//   - paste → first findings shown (ps aux, 100k processes)
//   - tree expand-all (ps aux 100k: flat; ps -ef 100k: real parent/child shape, replicated)
//   - frame times while scrolling the table and the tree (rAF-driven, and a synthesized wheel
//     gesture), with the renderer main thread's CPU time per frame, which the load moves less
//   - initial JS size (gzip) and the lazily loaded rest
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { generate } from './generate.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// BENCH_DIST=/path/to/another/build compares a build against this one on the same machine.
const dist = process.env.BENCH_DIST ? path.resolve(process.env.BENCH_DIST) : path.join(root, 'dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.txt': 'text/plain; charset=utf-8', '.sh': 'text/plain; charset=utf-8', '.svg': 'image/svg+xml',
};

/** A plain static server for dist/: the bench must not depend on the share server. */
function serveDist(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const u = decodeURIComponent((req.url ?? '/').split('?')[0]);
    let file = path.join(dist, u === '/' ? 'index.html' : u);
    if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) file = path.join(dist, 'index.html');
    res.setHeader('Content-Type', TYPES[path.extname(file)] ?? 'application/octet-stream');
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    resolve({ server, url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/` });
  }));
}

/** Initial JS = the entry script and its modulepreloads in index.html; everything else loads later. */
export function jsSizes(): { initialGzip: number; initialRaw: number; lazyGzip: number; workerGzip: number; files: string[] } {
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\.?\/?([^"]+\.js)"/g)].map((m) => m[1]);
  const assets = path.join(dist, 'assets');
  const all = existsSync(assets) ? execFileSync('ls', [assets], { encoding: 'utf8' }).split('\n').filter((f) => f.endsWith('.js')).map((f) => `assets/${f}`) : [];
  const gz = (f: string) => gzipSync(readFileSync(path.join(dist, f)), { level: 9 }).length;
  let initialGzip = 0, initialRaw = 0, lazyGzip = 0, workerGzip = 0;
  for (const f of all) {
    if (initial.includes(f)) { initialGzip += gz(f); initialRaw += statSync(path.join(dist, f)).size; } else if (/worker/i.test(f)) workerGzip += gz(f); else lazyGzip += gz(f);
  }
  return { initialGzip, initialRaw, lazyGzip, workerGzip, files: initial };
}

/** ps -ef with a real tree shape: the fixture's rows replicated with PIDs (and PPIDs) shifted per copy. */
function psEfTree(n: number): string {
  const lines = readFileSync(path.join(root, 'samples/ps-ef/ps-ef.txt'), 'utf8').split('\n').filter((l) => l.trim());
  const [header, ...rows] = lines;
  const out = [header];
  for (let copy = 0; out.length <= n; copy++) {
    const shift = copy * 1000;
    for (const r of rows) {
      if (out.length > n) break;
      const tok = r.split(/(\s+)/);
      tok[2] = String(Number(tok[2]) + shift);
      if (tok[4] !== '0') tok[4] = String(Number(tok[4]) + shift);
      out.push(tok.join(''));
    }
  }
  return out.join('\n') + '\n';
}

/**
 * Times, inside the page, from the paste event to the Findings region on screen, and to the whole
 * process list received (the status line gone).
 */
async function paste(page: Page, text: string): Promise<{ findings: number; all: number; worker: number }> {
  return page.evaluate((t) => new Promise<{ findings: number; all: number; worker: number }>((resolve) => {
    const t0 = performance.now();
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    let findings = 0;
    const poll = () => {
      if (!findings && document.querySelector('section[aria-label="Findings"][data-ready="true"]')) findings = performance.now() - t0;
      if (findings && !document.querySelector('.status[role=status]')) {
        const worker = Number(document.querySelector('[data-analyse-ms]')?.getAttribute('data-analyse-ms') ?? NaN);
        resolve({ findings, all: performance.now() - t0, worker });
      }
      else requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  }), text);
}

async function clickAndPaint(page: Page, name: string): Promise<number> {
  return page.evaluate((label) => new Promise<number>((resolve) => {
    const b = [...document.querySelectorAll('button')].find((x) => x.textContent?.trim() === label);
    if (!b) { resolve(NaN); return; }
    const t0 = performance.now();
    b.click();
    requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
  }), name);
}

/** Scrolls a virtualized list for `frames` animation frames and returns the frame intervals. */
async function scrollFrames(page: Page, selector: string, frames: number, step: number): Promise<number[]> {
  return page.evaluate(([sel, n, px]) => new Promise<number[]>((resolve) => {
    const el = document.querySelector(sel as string) as HTMLElement;
    const out: number[] = [];
    let last = performance.now();
    let i = 0;
    const tick = (now: number) => {
      out.push(now - last);
      last = now;
      el.scrollTop += px as number;
      if (++i < (n as number)) requestAnimationFrame(tick); else resolve(out.slice(1));
    };
    requestAnimationFrame(tick);
  }), [selector, frames, step] as const);
}

interface ScrollFigures {
  frames: number[];
  /** Main-thread CPU ms per frame (Chromium's ThreadTime), and the script / layout / style parts. */
  cpu: number;
  script: number;
  layout: number;
  style: number;
  /** Frames whose viewport was not fully covered by rows (gesture scrolls only). */
  blank?: number;
}

/**
 * Frame times are wall-clock and swing with the machine's load; the renderer main thread's CPU
 * time per frame (CDP Performance.getMetrics) is what the app's own work costs.
 */
async function withCpu(page: Page, run: () => Promise<{ frames: number[]; blank?: number }>): Promise<ScrollFigures> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const get = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value])) as Record<string, number>;
  const m0 = await get();
  const r = await run();
  const m1 = await get();
  await cdp.detach();
  const per = (k: string) => ((m1[k] - m0[k]) * 1000) / Math.max(1, r.frames.length);
  return { ...r, cpu: per('ThreadTime'), script: per('ScriptDuration'), layout: per('LayoutDuration'), style: per('RecalcStyleDuration') };
}

/** rAF-driven scroll, `repeats` runs of `frames` frames pooled (one run is at the mercy of a load spike). */
async function scrollFigures(page: Page, selector: string, frames: number, step: number, repeats = 3): Promise<ScrollFigures> {
  return withCpu(page, async () => {
    const all: number[] = [];
    for (let i = 0; i < repeats; i++) all.push(...await scrollFrames(page, selector, frames, step));
    return { frames: all };
  });
}

/**
 * A wheel scroll as a user makes it: Chromium's synthesized scroll gesture goes through the
 * input and compositor path (the scroll events come first in each frame, then rendering), at
 * `speed` px/s. Counts the frames in which the rows did not cover the viewport (blank rows).
 */
async function gestureFigures(page: Page, selector: string, distance: number, speed: number): Promise<ScrollFigures> {
  return withCpu(page, async () => {
    const box = await page.locator(selector).boundingBox();
    const ms = (distance / speed) * 1000;
    const sampler = page.evaluate(([sel, dur]) => new Promise<{ frames: number[]; blank: number }>((resolve) => {
      const el = document.querySelector(sel as string) as HTMLElement;
      const rows = el.querySelector('.tbody [role=row], [role=treeitem]')!.parentElement as HTMLElement;
      const top = rows.offsetTop; // a sticky header above the rows covers that much of the viewport
      const h = el.clientHeight;
      const total = rows.offsetHeight;
      const ROW = 22; // both lists' row height; read no layout inside the frames being measured
      const out: number[] = [];
      let blank = 0;
      let last = performance.now();
      const t0 = last;
      const tick = (now: number) => {
        out.push(now - last);
        last = now;
        let lo = Infinity, hi = -Infinity;
        for (const c of rows.children) {
          const m = /translateY\(([\d.]+)px\)/.exec((c as HTMLElement).style.transform);
          if (m) { lo = Math.min(lo, Number(m[1])); hi = Math.max(hi, Number(m[1]) + ROW); }
        }
        const from = el.scrollTop, to = el.scrollTop + h - top;
        if (lo > from + 0.5 || hi < Math.min(to, total) - 0.5) blank++;
        if (now - t0 < (dur as number)) requestAnimationFrame(tick); else resolve({ frames: out.slice(1), blank });
      };
      requestAnimationFrame(tick);
    }), [selector, ms] as const);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Input.synthesizeScrollGesture', {
      x: Math.round((box?.x ?? 0) + (box?.width ?? 400) / 2), y: Math.round((box?.y ?? 0) + (box?.height ?? 400) / 2),
      yDistance: -distance, speed, gestureSourceType: 'mouse',
    });
    await cdp.detach();
    return sampler;
  });
}

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };
const ms = (x: number) => `${x.toFixed(0)} ms`;

/** `frames p50 / p95 / max` and `main-thread CPU per frame (script / layout / style)` of one scroll. */
function scrollRow(what: string, input: string, f: ScrollFigures): string {
  const times = `${pct(f.frames, 50).toFixed(1)} / ${pct(f.frames, 95).toFixed(1)} / ${Math.max(...f.frames).toFixed(1)} ms`;
  const cpu = `${f.cpu.toFixed(1)} ms (${f.script.toFixed(1)} / ${f.layout.toFixed(1)} / ${f.style.toFixed(1)})`;
  const blank = f.blank !== undefined ? `; blank rows in ${f.blank} of ${f.frames.length} frames` : '';
  return `| ${what}: frame time p50 / p95 / max; main-thread CPU per frame (script / layout / style) | ${input} | ${times}; ${cpu}${blank} | frames < 33 ms |`;
}

export async function benchBrowser(): Promise<string> {
  if (!existsSync(path.join(dist, 'index.html'))) execFileSync('npx', ['vite', 'build'], { cwd: root, stdio: 'ignore' });
  const sizes = jsSizes();
  const { server, url } = await serveDist();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const lines: string[] = [];
  try {
    const aux = generate('aux', 100_000, root);
    const ef = psEfTree(100_000);
    const newPage = async () => {
      const p = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      // tsx (esbuild keepNames) wraps named closures in __name(); the functions passed to
      // page.evaluate run in the page, where that helper does not exist.
      await p.addInitScript('window.__name = (f) => f');
      await p.goto(url);
      return p;
    };
    const page = await newPage();

    page.setDefaultTimeout(180_000);
    const firstFindings = await paste(page, aux.text);
    const key = async (k: string) => { await page.keyboard.press(k); await page.waitForTimeout(300); };
    await key('4');
    await page.waitForSelector('.table-scroll .tbody [role=row]');
    await scrollFrames(page, '.table-scroll', 30, 600); // warm-up: first paint of the rows, JIT
    const tableFrames = await scrollFigures(page, '.table-scroll', 180, 600);
    const tableFramesSlow = await scrollFigures(page, '.table-scroll', 180, 200);
    await page.evaluate(() => { (document.querySelector('.table-scroll') as HTMLElement).scrollTop = 0; });
    const tableGesture = await gestureFigures(page, '.table-scroll', 40_000, 8000);
    await key('3');
    await page.waitForSelector('.tree-scroll [role=treeitem]');
    await clickAndPaint(page, 'Collapse all');
    const expandFlat = await clickAndPaint(page, 'Expand all');

    const page2 = await newPage();
    page2.setDefaultTimeout(180_000);
    const firstFindingsEf = await paste(page2, ef);
    await page2.keyboard.press('3');
    await page2.waitForSelector('.tree-scroll [role=treeitem]').catch(async (e: Error) => {
      await page2.screenshot({ path: path.join(root, 'test-results', 'bench-tree-timeout.png') });
      throw e;
    });
    await clickAndPaint(page2, 'Collapse all');
    const expandTree = await clickAndPaint(page2, 'Expand all');
    await scrollFrames(page2, '.tree-scroll', 30, 600);
    const treeFrames = await scrollFigures(page2, '.tree-scroll', 180, 600);
    await page2.evaluate(() => { (document.querySelector('.tree-scroll') as HTMLElement).scrollTop = 0; });
    const treeGesture = await gestureFigures(page2, '.tree-scroll', 40_000, 8000);

    const version = browser.version();
    const load = (await import('node:os')).loadavg()[0].toFixed(1);
    lines.push(`### Browser (Chromium ${version}, headless, software rendering, built app; machine load ${load})`, '',
      '| measure | input | figure | target |', '|---|---|---:|---:|',
      `| paste → first findings shown | ps aux, 100,000 processes (${(aux.text.length / 1e6).toFixed(1)} MB, rows of ${aux.from}) | ${ms(firstFindings.findings)} | < 2000 ms |`,
      `| of which ingest + snapshot + diagnose in the worker | same | ${ms(firstFindings.worker)} | |`,
      `| paste → whole process list received | same | ${ms(firstFindings.all)} | |`,
      `| paste → first findings shown | ps -ef, 100,000 processes (samples/ps-ef tree replicated) | ${ms(firstFindingsEf.findings)} | < 2000 ms |`,
      `| of which ingest + snapshot + diagnose in the worker | same | ${ms(firstFindingsEf.worker)} | |`,
      `| paste → whole process list received | same | ${ms(firstFindingsEf.all)} | |`,
      `| tree expand-all (click → painted) | ps aux 100k (flat) | ${ms(expandFlat)} | |`,
      `| tree expand-all (click → painted) | ps -ef 100k (nested) | ${ms(expandTree)} | |`,
      scrollRow('table scroll, 600 px per frame (rAF), 3×180 frames', 'ps aux 100k', tableFrames),
      scrollRow('table scroll, 200 px per frame (rAF), 3×180 frames', 'ps aux 100k', tableFramesSlow),
      scrollRow('table wheel scroll at 8,000 px/s (synthesized gesture)', 'ps aux 100k', tableGesture),
      scrollRow('tree scroll, 600 px per frame (rAF), 3×180 frames', 'ps -ef 100k', treeFrames),
      scrollRow('tree wheel scroll at 8,000 px/s (synthesized gesture)', 'ps -ef 100k', treeGesture),
      `| initial JS (gzip) | ${sizes.files.join(', ')} | ${(sizes.initialGzip / 1024).toFixed(1)} KB (${(sizes.initialRaw / 1024).toFixed(0)} KB raw) | < 300 KB |`,
      `| lazy views JS (gzip) / analysis worker (gzip) | loaded after the first paint | ${(sizes.lazyGzip / 1024).toFixed(1)} KB / ${(sizes.workerGzip / 1024).toFixed(1)} KB | |`,
    );
  } finally {
    await browser.close();
    server.close();
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv[2] !== '--screenshots') {
  console.log(await benchBrowser());
}

/**
 * Screenshots of every view for the README (docs/screenshots/*.png), from real samples through
 * the gallery of a running app: `node bin/run-ts.mjs bench/browser.ts --screenshots URL`.
 */
export async function screenshots(base: string, outDir = path.join(root, 'docs/screenshots')): Promise<string[]> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const written: string[] = [];
  try {
    for (const theme of ['light', 'dark'] as const) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: theme, deviceScaleFactor: 1 });
      const shot = async (name: string) => {
        await page.waitForTimeout(350);
        const file = path.join(outDir, `${name}${theme === 'dark' ? '-dark' : ''}.png`);
        await page.screenshot({ path: file });
        written.push(file);
      };
      const open = async (id: string, query = '') => {
        await page.goto(`${base}${query}`);
        await page.getByRole('region', { name: 'Samples' }).getByRole('button', { name: new RegExp(`^${id}:`) }).click();
        await page.getByRole('tablist', { name: 'Views' }).waitFor();
        await page.waitForSelector('.status[role=status]', { state: 'detached' });
      };
      const key = async (k: string) => { await page.keyboard.press(k); };
      await page.goto(base);
      await shot('landing');
      await open('rbd-fsck-hang');
      await shot('overview');
      await open('d-cluster-fuse');
      await key('2');
      await shot('states');
      await open('d-parent-zombies');
      await key('3');
      await shot('tree');
      await page.locator('[role=treeitem][data-pid="3"]').click();
      await key('f');
      await shot('focus');
      await open('ps-aux');
      await key('4');
      await shot('table');
      await open('rbd-fsck-hang');
      await key('4');
      await page.getByLabel('Group by').selectOption('state');
      await page.locator('.tbody .tr.group').first().click();
      await shot('table-grouped');
      await open('d-cluster-fuse');
      await key('3');
      await page.locator('[role=treeitem][data-pid="27107"]').click();
      await shot('details');
      await page.goto(base);
      await page.evaluate(() => {
        const dt = new DataTransfer();
        dt.setData('text/plain', 'USER PID COMMAND\nthis line is not a process row at all\n');
        document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true }));
      });
      await page.getByRole('region', { name: 'Input problems' }).waitFor();
      await shot('bad-input');
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return written;
}

if (process.argv[2] === '--screenshots') {
  console.log((await screenshots(process.argv[3] ?? 'http://127.0.0.1:4417/')).join('\n'));
}
