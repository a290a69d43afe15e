// Helpers for the web app's e2e tests: real samples from samples/, fed in the ways a user does
// (paste anywhere, pick files, drop files).
import { expect, type Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SAMPLES = path.join(root, 'samples');

export interface Expected {
  situation: string;
  findings: { rule: string; pids: number[] }[];
  quiet?: string[];
}

/** The capture files of a sample (everything but README.md and expected.json), as absolute paths. */
export function sampleFiles(id: string): string[] {
  return readdirSync(path.join(SAMPLES, id))
    .filter((n) => n !== 'README.md' && n !== 'expected.json')
    .sort()
    .map((n) => path.join(SAMPLES, id, n));
}

export function sampleText(id: string, file: string): string {
  return readFileSync(path.join(SAMPLES, id, file), 'utf8');
}

export function expected(id: string): Expected {
  return JSON.parse(readFileSync(path.join(SAMPLES, id, 'expected.json'), 'utf8')) as Expected;
}

/**
 * Pastes text onto the page the way Ctrl+V does when no text field has focus: a `paste` event on
 * the document carrying text/plain.
 */
export async function pasteText(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => {
    (document.activeElement as HTMLElement | null)?.blur();
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);
}

/** Drops files onto the page (one drag-and-drop of several files: parts of one capture). */
export async function dropFiles(page: Page, files: { name: string; text: string }[]): Promise<void> {
  const dt = await page.evaluateHandle((fs) => {
    const d = new DataTransfer();
    for (const f of fs) d.items.add(new File([f.text], f.name, { type: 'text/plain' }));
    return d;
  }, files);
  await page.dispatchEvent('body', 'dragenter', { dataTransfer: dt });
  await page.dispatchEvent('body', 'dragover', { dataTransfer: dt });
  await page.dispatchEvent('body', 'drop', { dataTransfer: dt });
}

/** Opens every capture file of a sample through the header's file picker. */
export async function openSample(page: Page, id: string): Promise<void> {
  await page.getByLabel('Open files').setInputFiles(sampleFiles(id));
  await waitForAnalysis(page);
}

/** Waits until the analysis is on screen (the Findings region is the overview's first content). */
export async function waitForAnalysis(page: Page): Promise<void> {
  await expect(page.getByRole('tablist', { name: 'Views' })).toBeVisible({ timeout: 30_000 });
}

export async function gotoView(page: Page, key: '1' | '2' | '3' | '4'): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press(key);
  const names = { 1: 'Overview', 2: 'States', 3: 'Tree', 4: 'Table' } as const;
  await expect(page.getByRole('tab', { name: names[key] })).toHaveAttribute('aria-selected', 'true');
}
