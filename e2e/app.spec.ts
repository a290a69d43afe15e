// The web app in real Chromium against the built app, on real samples.
import { expect, test, type Page } from '@playwright/test';
import { dropFiles, expected, gotoView, openSample, pasteText, SAMPLES, sampleFiles, sampleText, waitForAnalysis } from './helpers.ts';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const findings = (page: Page) => page.getByRole('region', { name: 'Findings' });
const tree = (page: Page) => page.getByRole('region', { name: 'Process tree' });
const table = (page: Page) => page.getByRole('region', { name: 'Process table' });
const details = (page: Page) => page.getByRole('complementary', { name: 'Process details' });

test.beforeEach(async ({ page }) => {
  page.on('dialog', (d) => { throw new Error(`unexpected dialog: ${d.type()} ${d.message()}`); });
  await page.goto('/');
});

test('a ps aux pasted anywhere on the page shows its findings', async ({ page }) => {
  const ex = expected('ps-aux');
  await pasteText(page, sampleText('ps-aux', 'ps-aux.txt'));
  await waitForAnalysis(page);
  await expect(findings(page)).toBeVisible();
  for (const f of ex.findings) {
    const card = findings(page).getByRole('article').filter({ hasText: f.rule });
    await expect(card).toHaveCount(1);
    for (const pid of f.pids) await expect(card.getByRole('button', { name: `Select PID ${pid}` }).first()).toBeVisible();
  }
  // The paste is kept: the Input box holds exactly what was pasted.
  await page.getByRole('button', { name: /^Input/ }).click();
  await expect(page.getByRole('textbox', { name: 'Input' })).toHaveValue(sampleText('ps-aux', 'ps-aux.txt'));
});

test("a finding's PID selects the process in the tree and in the table", async ({ page }) => {
  const ex = expected('d-parent-zombies');
  await openSample(page, 'd-parent-zombies');
  const cause = ex.findings[0].pids[0];
  await findings(page).getByRole('button', { name: `Select PID ${cause}` }).first().click();
  await expect(details(page)).toContainText(String(cause));

  await gotoView(page, '3');
  const node = tree(page).locator(`[role=treeitem][data-pid="${cause}"]`);
  await expect(node).toHaveAttribute('aria-selected', 'true');
  await expect(tree(page).locator('[role=treeitem][aria-selected=true]')).toHaveCount(1);

  await gotoView(page, '4');
  const row = table(page).locator(`[role=row][data-pid="${cause}"]`);
  await expect(row).toHaveAttribute('aria-selected', 'true');
  await expect(table(page).locator('[role=row][aria-selected=true]')).toHaveCount(1);

  // The URL holds the view, so a reload comes back to the same selection.
  await page.reload();
  await expect(page).toHaveURL(new RegExp(`pid=${cause}`));
});

test('clicking a state in the diagram filters the tree and the table', async ({ page }) => {
  await openSample(page, 'd-parent-zombies');
  await gotoView(page, '2');
  const states = page.getByRole('region', { name: 'Process states' });
  await states.getByRole('button', { name: /^Z zombie: \d+ processes/ }).click();
  await expect(page.getByRole('button', { name: /Clear state filter Z/ })).toBeVisible();

  await gotoView(page, '4');
  const rows = table(page).locator('.tbody [role=row]');
  const zombies = expected('d-parent-zombies').findings[0].pids.slice(1);
  await expect(rows).toHaveCount(zombies.length);
  for (const pid of zombies) await expect(table(page).locator(`[role=row][data-pid="${pid}"]`)).toBeVisible();

  // The tree shows the zombies (folded as identical siblings) with their parent as context.
  await gotoView(page, '3');
  await expect(tree(page).getByRole('treeitem').filter({ hasText: `${zombies.length}×` })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: /Clear state filter/ })).toHaveCount(0);
});

test('keyboard: ? lists shortcuts, / searches, 1–4 switch views, j/k move, Enter opens, Esc closes', async ({ page }) => {
  await openSample(page, 'd-parent-zombies');
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  for (const k of ['/', 'j / k', 'Enter', 'Esc', '1 – 4', '?']) await expect(dialog.getByText(k, { exact: true })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  for (const k of ['2', '3', '4', '1'] as const) await gotoView(page, k);
  await gotoView(page, '3');
  await page.keyboard.press('j');
  await expect(tree(page).locator('[role=treeitem][aria-selected=true]')).toHaveCount(1);
  const first = await tree(page).locator('[role=treeitem][aria-selected=true]').getAttribute('data-pid');
  await page.keyboard.press('j');
  const second = await tree(page).locator('[role=treeitem][aria-selected=true]').getAttribute('data-pid');
  expect(second).not.toBe(first);
  await page.keyboard.press('k');
  await expect(tree(page).locator('[role=treeitem][aria-selected=true]')).toHaveAttribute('data-pid', first!);
  await page.keyboard.press('Enter');
  await expect(details(page)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(details(page)).toBeHidden();

  await page.keyboard.press('/');
  const search = page.getByRole('searchbox', { name: 'Search processes' });
  await expect(search).toBeFocused();
  await search.fill('postgres');
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/q=postgres/);
  await expect(tree(page).locator('[role=treeitem]:not(.context)').first()).toContainText('postgres');
});

test('dark mode follows the system and can be switched, and the choice survives a reload', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'dark' });
  const page = await context.newPage();
  await page.goto('/');
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const dark = await bg();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByRole('button', { name: /^Theme/ }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await bg()).not.toBe(dark);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await context.close();
});

test('an invalid paste shows the error panel, keeps the text, and a fixed input re-runs', async ({ page }) => {
  const junk = 'this is not a process listing\nlorem ipsum dolor sit amet\n';
  await pasteText(page, junk);
  const panel = page.getByRole('region', { name: 'Input problems' });
  await expect(panel).toBeVisible({ timeout: 30_000 });
  await expect(panel).toContainText('paste');
  await expect(panel).toContainText('line 1');
  const input = page.getByRole('textbox', { name: 'Input' });
  await expect(input).toHaveValue(junk);

  await input.fill(sampleText('ps-aux', 'ps-aux.txt'));
  await page.getByRole('button', { name: 'Re-run' }).click();
  await waitForAnalysis(page);
  await expect(panel).toBeHidden();
});

test('command lines with markup render as text and open no dialog', async ({ page }) => {
  const id = 'xss-command-line';
  const files = sampleFiles(id).map((f) => ({ name: path.basename(f), text: readFileSync(f, 'utf8') }));
  await dropFiles(page, files);
  await waitForAnalysis(page);
  for (const view of ['3', '4'] as const) {
    await gotoView(page, view);
    await expect(page.getByText('<script>alert(1)</script> 300').first()).toBeVisible();
    await expect(page.getByText('"><img src=x onerror=alert(1)> 300').first()).toBeVisible();
  }
  await page.locator('[data-pid="3"]').first().click();
  await expect(details(page)).toContainText('onerror=alert(1)');
  expect(await page.locator('img[src="x"], body script:not([src])').count()).toBe(0);
  // (the beforeEach dialog handler fails the test if any alert opened)
});

test('no request carries snapshot data, and the app keeps working offline once loaded', async ({ page, context }) => {
  const text = sampleText('ps-aux', 'ps-aux.txt');
  const marker = text.split('\n')[5].trim().split(/\s+/).slice(10).join(' ');
  const requests: { url: string; method: string; body: string | null }[] = [];
  page.on('request', (r) => requests.push({ url: r.url(), method: r.method(), body: r.postData() }));
  await pasteText(page, text);
  await waitForAnalysis(page);
  for (const k of ['2', '3', '4', '1'] as const) await gotoView(page, k);
  for (const r of requests) {
    expect(r.method).toBe('GET');
    expect(r.body).toBeNull();
    expect(decodeURIComponent(r.url)).not.toContain(marker);
  }

  await context.setOffline(true);
  await pasteText(page, sampleText('xss-command-line', 'ps-o-wchan.txt'));
  await expect(page.getByRole('tab', { name: 'Tree' })).toBeVisible();
  for (const k of ['2', '3', '4'] as const) await gotoView(page, k);
  await expect(table(page).locator('[role=row][data-pid="2"]')).toBeVisible();
  await context.setOffline(false);
});

test('the gallery opens a sample and the collector is offered for download', async ({ page }) => {
  const samples = page.getByRole('region', { name: 'Samples' });
  await expect(samples.getByRole('button', { name: /^d-parent-zombies:/ })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Download collect.sh' })).toHaveAttribute('href', './collect.sh');
  await samples.getByRole('button', { name: /^d-parent-zombies:/ }).click();
  await waitForAnalysis(page);
  await expect(findings(page).getByRole('article').filter({ hasText: 'zombies-under-d-parent' })).toBeVisible();
});

test('a reload works offline once the app has been loaded (service worker)', async ({ page, context }) => {
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  // Let the service worker finish precaching, then cut the network.
  await page.waitForFunction(async () => (await caches.keys()).some((k) => k.startsWith('procscope-')) && !!navigator.serviceWorker.controller, null, { timeout: 20_000 }).catch(async () => {
    await page.reload();
    await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  });
  await context.setOffline(true);
  await page.reload();
  await pasteText(page, sampleText('ps-ef', 'ps-ef.txt'));
  await waitForAnalysis(page);
  for (const k of ['2', '3', '4'] as const) await gotoView(page, k);
  await expect(table(page).locator('[role=row][data-pid="48"]')).toBeVisible();
  await context.setOffline(false);
});

test('every view opens on every sample without an error', async ({ page }) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const ids = readdirSync(SAMPLES).filter((n) => sampleFiles(n).length > 0).sort();
  expect(ids.length).toBeGreaterThan(10);
  for (const id of ids) {
    await page.goto('/');
    await page.getByRole('region', { name: 'Samples' }).getByRole('button', { name: new RegExp(`^${id}:`) }).click();
    const problems = page.getByRole('region', { name: 'Input problems' });
    await expect(page.getByRole('tablist', { name: 'Views' }).or(problems.getByRole('alert'))).toBeVisible({ timeout: 30_000 });
    if (!(await page.getByRole('tablist', { name: 'Views' }).isVisible())) continue; // a sample with no process listing (e.g. loadavg only)
    await expect(page.locator('.status[role=status]')).toHaveCount(0, { timeout: 30_000 });
    for (const k of ['2', '3', '4'] as const) await gotoView(page, k);
    await page.locator('.tbody [role=row]').first().click();
    await expect(details(page)).toBeVisible();
    await gotoView(page, '1');
    expect(errors, id).toEqual([]);
  }
});
