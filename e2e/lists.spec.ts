// The virtualized tree and table after scrolling: rows are recycled (a row scrolling out lends its
// elements to the one scrolling in), so every row on screen must show its own process, and the
// clicks handled once for the whole list must still reach the right row, caret and group.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { gotoView, openSample } from './helpers.ts';

const tree = (page: Page) => page.getByRole('region', { name: 'Process tree' });
const table = (page: Page) => page.getByRole('region', { name: 'Process table' });
const details = (page: Page) => page.getByRole('complementary', { name: 'Process details' });

/** Rows in screen order (by their transform), with the PID each claims and the texts it shows. */
async function rowsOnScreen(list: Locator, role: 'row' | 'treeitem') {
  return list.locator(`[role=${role}][data-pid]`).evaluateAll((els) => els
    .map((e) => ({
      y: Number(/translateY\(([\d.]+)px\)/.exec((e as HTMLElement).style.transform)?.[1] ?? NaN),
      pid: Number((e as HTMLElement).dataset.pid),
      cells: [...e.querySelectorAll('[role=gridcell], .pid')].map((c) => c.textContent ?? ''),
    }))
    .sort((a, b) => a.y - b.y));
}

test.beforeEach(async ({ page }) => {
  page.on('dialog', (d) => { throw new Error(`unexpected dialog: ${d.type()} ${d.message()}`); });
  await page.goto('/');
  // samples/ps-aux-host-thousands: a real host with thousands of processes.
  await openSample(page, 'ps-aux-host-thousands');
  await expect(page.locator('.status[role=status]')).toHaveCount(0, { timeout: 30_000 });
});

test('table rows show their own process after scrolling back and forth', async ({ page }) => {
  await gotoView(page, '4');
  const scroller = table(page).getByRole('grid', { name: 'Processes' });
  for (const top of [30_000, 31_000, 5_000, 60_000]) {
    await scroller.evaluate((el, t) => { el.scrollTop = t; }, top);
    await page.waitForTimeout(150);
    const rows = await rowsOnScreen(table(page), 'row');
    expect(rows.length).toBeGreaterThan(20);
    for (let i = 0; i < rows.length; i++) {
      // The PID column prints the row's own PID (a recycled row must not keep the old one) …
      expect(rows[i].cells[0].replace(/\D+/g, '')).toBe(String(rows[i].pid));
      // … and, unsorted, the table is in PID order, each row 22 px below the one before.
      if (i > 0) {
        expect(rows[i].pid).toBeGreaterThan(rows[i - 1].pid);
        expect(rows[i].y - rows[i - 1].y).toBe(22);
      }
    }
  }
  // One click handler for all rows still opens the row clicked.
  const rows = await rowsOnScreen(table(page), 'row');
  const target = rows[Math.floor(rows.length / 2)].pid;
  await table(page).locator(`[role=row][data-pid="${target}"]`).click();
  await expect(table(page).locator(`[role=row][data-pid="${target}"]`)).toHaveAttribute('aria-selected', 'true');
  await expect(details(page)).toContainText(String(target));
});

test('table groups open and close by a click on the group row', async ({ page }) => {
  await gotoView(page, '4');
  await table(page).getByLabel('Group by').selectOption('state');
  const group = table(page).locator('.tbody [role=row].group').first();
  await expect(group).toHaveAttribute('aria-expanded', 'false');
  const before = await table(page).locator('.tbody [role=row][data-pid]').count();
  expect(before).toBe(0);
  await group.click();
  await expect(table(page).locator('.tbody [role=row].group').first()).toHaveAttribute('aria-expanded', 'true');
  await expect(table(page).locator('.tbody [role=row][data-pid]').first()).toBeVisible();
  await table(page).locator('.tbody [role=row].group').first().click();
  await expect(table(page).locator('.tbody [role=row][data-pid]')).toHaveCount(0);
});

test('tree rows show their own process after scrolling, and carets and folded groups respond', async ({ page }) => {
  await gotoView(page, '3');
  const scroller = tree(page).getByRole('tree', { name: 'Processes by parent' });
  // Unfolded, the tree has a row per process: thousands, tens of thousands of pixels.
  await tree(page).getByLabel('Fold identical siblings').uncheck();
  for (const top of [20_000, 21_000, 3_000]) {
    await scroller.evaluate((el, t) => { el.scrollTop = t; }, top);
    await page.waitForTimeout(150);
    const rows = await rowsOnScreen(tree(page), 'treeitem');
    expect(rows.length).toBeGreaterThan(20);
    expect(rows[0].y).toBeGreaterThan(top - 22 * 10);
    for (const r of rows) expect(r.cells[0]).toBe(String(r.pid));
  }
  await tree(page).getByLabel('Fold identical siblings').check();

  // Collapse PID 1 with its caret: its subtree leaves the list; expand it again.
  await scroller.evaluate((el) => { el.scrollTop = 0; });
  const rowCount = async () => Number((await tree(page).getByText(/ rows$/).innerText()).match(/([\d,]+) rows$/)![1].replace(/,/g, ''));
  const all = await rowCount();
  await tree(page).getByRole('button', { name: 'Collapse 1', exact: true }).click();
  await expect(tree(page).getByRole('button', { name: 'Expand 1', exact: true })).toBeVisible();
  expect(await rowCount()).toBeLessThan(all);
  await tree(page).getByRole('button', { name: 'Expand 1', exact: true }).click();
  await expect(tree(page).getByRole('button', { name: 'Collapse 1', exact: true })).toBeVisible();
  expect(await rowCount()).toBe(all);

  // A folded group of identical siblings unfolds on a click.
  const folded = tree(page).locator('[role=treeitem][data-group]').first();
  const count = Number((await folded.locator('.count-badge').innerText()).replace('×', ''));
  const firstPid = Number((await folded.innerText()).match(/PIDs (\d+)…/)![1]);
  await folded.click();
  await expect(tree(page).locator(`[role=treeitem][data-pid="${firstPid}"]`)).toBeVisible();
  expect(count).toBeGreaterThan(1);
});
