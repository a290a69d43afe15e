// The write-up, in real Chromium: a single finding copied as Markdown, and the state diagram and
// the process tree exported as SVG and PNG (a file that stands alone, in the current theme).
import { expect, test, type Download, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dropFiles, expected, gotoView, openSample, sampleFiles, waitForAnalysis } from './helpers.ts';

const findings = (page: Page) => page.getByRole('region', { name: 'Findings' });
const tree = (page: Page) => page.getByRole('region', { name: 'Process tree' });
const states = (page: Page) => page.getByRole('region', { name: 'Process states' });

test.beforeEach(async ({ page }) => {
  page.on('dialog', (d) => { throw new Error(`unexpected dialog: ${d.type()} ${d.message()}`); });
  await page.goto('/');
});

/** The lines of a Markdown text outside its fenced code blocks (where markup would be live). */
function outsideFences(md: string): string {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of md.split('\n')) {
    const m: RegExpExecArray | null = /^(`{3,})\s*$/.exec(line) ?? (fence === null ? /^(`{3,})/.exec(line) : null);
    if (m && (fence === null || m[1].length >= fence.length)) { fence = fence === null ? m[1] : null; continue; }
    if (fence === null) out.push(line);
  }
  return out.join('\n');
}

async function downloadOf(page: Page, click: () => Promise<void>): Promise<{ d: Download; bytes: Buffer }> {
  const [d] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = await d.path();
  return { d, bytes: readFileSync(file) };
}

/** Parses an SVG file in the page: whether it parsed, its scripts, its text, its size. */
async function inspectSvg(page: Page, svg: string) {
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const root = doc.documentElement;
    return {
      error: doc.getElementsByTagName('parsererror').length > 0,
      root: root.localName,
      scripts: doc.getElementsByTagName('script').length + doc.getElementsByTagName('foreignObject').length,
      handlers: [...doc.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => a.name)),
      texts: [...doc.querySelectorAll('text')].map((t) => t.textContent ?? ''),
      width: Number(root.getAttribute('width')),
      height: Number(root.getAttribute('height')),
      background: doc.querySelector('svg > rect')?.getAttribute('fill') ?? null,
    };
  }, svg);
}

/** Width and height from a PNG's IHDR chunk, after checking the 8-byte signature. */
function pngSize(bytes: Buffer): { signature: boolean; width: number; height: number } {
  const signature = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { signature, width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test('a finding copies as Markdown with its title, evidence and next commands; a <script> in a command line stays text', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  // samples/d-parent-zombies as captured, with the D parent's command line swapped for markup
  // (its real argv is `postgres -D /var/lib/postgresql/data`), in every file that shows it.
  const files = sampleFiles('d-parent-zombies').map((f) => ({
    name: path.basename(f),
    text: readFileSync(f, 'utf8').replaceAll('postgres -D /var/lib/postgresql/data', '<script>alert(1)</script> -D /var/lib/postgresql/data'),
  }));
  await dropFiles(page, files);
  await waitForAnalysis(page);
  const rule = expected('d-parent-zombies').findings[0].rule;
  const card = findings(page).getByRole('article').filter({ hasText: rule });
  const button = card.getByRole('button', { name: 'Copy as Markdown' });
  await button.click();
  await expect(button).toHaveText('Copied');
  const md = await page.evaluate(() => navigator.clipboard.readText());

  const title = await card.getByRole('heading', { level: 3 }).innerText();
  expect(md.split('\n')[0]).toBe(`### HIGH: ${title.replace(/_/g, '\\_')}`);
  expect(md).toContain(`Rule \`${rule}\``);
  expect(md).toContain('Evidence:');
  expect(md).toMatch(/^- kernel stack of postgres \(3\): kernel\\_clone/m);
  expect(md).toMatch(/Next steps:\n\n```+\ncat \/proc\/3\/stack/);
  // The hostile command line is in the copy, but only escaped in prose or inside a code fence.
  expect(md).toContain('<script>alert(1)</script> -D /var/lib/postgresql/data');
  const prose = outsideFences(md);
  expect(prose).toContain('\\<script\\>alert(1)\\</script\\>');
  expect(prose).not.toMatch(/(?<!\\)<script/);
  expect(await page.locator('body script:not([src])').count()).toBe(0);
});

test('the state diagram exports as a standalone SVG and a 2× PNG', async ({ page }) => {
  await openSample(page, 'd-parent-zombies');
  await gotoView(page, '2');
  const svg = await downloadOf(page, () => states(page).getByRole('button', { name: 'Export SVG' }).click());
  expect(svg.d.suggestedFilename()).toMatch(/^procscope-states.*\.svg$/);
  const text = svg.bytes.toString('utf8');
  expect(text).not.toContain('var(--');
  expect(text).not.toMatch(/class=|style=/);
  const s = await inspectSvg(page, text);
  expect(s).toMatchObject({ error: false, root: 'svg', scripts: 0, handlers: [] });
  for (const label of ['running', 'sleeping', 'uninterruptible', 'zombie', 'fork()', 'exit()']) expect(s.texts).toContain(label);
  // The zombie count, as the diagram shows it.
  expect(s.texts).toContain(String(expected('d-parent-zombies').findings[0].pids.length - 1));
  expect(s.texts.some((t) => t.startsWith('Process states (processes)'))).toBe(true);

  const png = await downloadOf(page, () => states(page).getByRole('button', { name: 'Export PNG' }).click());
  expect(png.d.suggestedFilename()).toMatch(/^procscope-states.*\.png$/);
  const size = pngSize(png.bytes);
  expect(size.signature).toBe(true);
  expect(size.width).toBe(s.width * 2);
  expect(size.height).toBe(s.height * 2);
  expect(png.bytes.length).toBeGreaterThan(10_000);
});

test('the tree exports as a forest, the focus tree as drawn, in the dark theme too', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'dark' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto('/');
  await openSample(page, 'd-parent-zombies');
  await gotoView(page, '3');
  const bodyBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  const forest = await downloadOf(page, () => tree(page).getByRole('button', { name: 'Export SVG' }).click());
  expect(forest.d.suggestedFilename()).toMatch(/^procscope-tree.*\.svg$/);
  const f = await inspectSvg(page, forest.bytes.toString('utf8'));
  expect(f).toMatchObject({ error: false, scripts: 0, handlers: [] });
  expect(f.background).toBe(bodyBg); // the dark theme's background, resolved from its CSS variable
  for (const pid of ['1', '3', '17']) expect(f.texts).toContain(pid);
  expect(f.texts).toContain('12×'); // the folded zombies, as on screen
  expect(f.texts.some((t) => t.includes('kernel_clone'))).toBe(true);

  // Focus mode: the tidy tree of PID 3's ancestors and descendants.
  await tree(page).locator('[role=treeitem][data-pid="3"]').click();
  await page.keyboard.press('Escape'); // close the details panel, keep the selection
  await page.keyboard.press('f');
  await expect(tree(page).getByRole('group', { name: 'Ancestors and descendants of 3' })).toBeVisible();
  const focus = await downloadOf(page, () => tree(page).getByRole('button', { name: 'Export SVG' }).click());
  expect(focus.d.suggestedFilename()).toMatch(/^procscope-tree-3.*\.svg$/);
  const g = await inspectSvg(page, focus.bytes.toString('utf8'));
  expect(g).toMatchObject({ error: false, scripts: 0, handlers: [] });
  for (const pid of [1, 3, 5, 16, 17]) expect(g.texts.some((t) => t.startsWith(`${pid} `))).toBe(true);

  const png = await downloadOf(page, () => tree(page).getByRole('button', { name: 'Export PNG' }).click());
  const size = pngSize(png.bytes);
  expect(size.signature).toBe(true);
  expect([size.width, size.height]).toEqual([g.width * 2, g.height * 2]);
  expect(errors).toEqual([]);
  await context.close();
});

test('hostile command lines go into an exported tree as text', async ({ page }) => {
  const files = sampleFiles('xss-command-line').map((f) => ({ name: path.basename(f), text: readFileSync(f, 'utf8') }));
  await dropFiles(page, files);
  await waitForAnalysis(page);
  await gotoView(page, '3');
  const out = await downloadOf(page, () => tree(page).getByRole('button', { name: 'Export SVG' }).click());
  const text = out.bytes.toString('utf8');
  expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; 300');
  const s = await inspectSvg(page, text);
  expect(s).toMatchObject({ error: false, scripts: 0, handlers: [] });
  expect(s.texts).toContain('<script>alert(1)</script> 300');
  expect(s.texts).toContain('"><img src=x onerror=alert(1)> 300');
  const png = await downloadOf(page, () => tree(page).getByRole('button', { name: 'Export PNG' }).click());
  expect(pngSize(png.bytes).signature).toBe(true);
});
