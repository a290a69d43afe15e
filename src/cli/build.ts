// `npm start` builds the app when dist/ is missing or older than the sources, then serves it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Io } from './main.ts';

function newestMtime(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (!/\.test\.tsx?$/.test(entry.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

export async function ensureBuilt(root: string, distDir: string, buildIfNeeded: boolean, io: Io): Promise<boolean> {
  const index = path.join(distDir, 'index.html');
  const builtAt = existsSync(index) ? statSync(index).mtimeMs : 0;
  const stale = builtAt === 0 || (buildIfNeeded && Math.max(newestMtime(path.join(root, 'src')), newestMtime(path.join(root, 'public')),
    existsSync(path.join(root, 'index.html')) ? statSync(path.join(root, 'index.html')).mtimeMs : 0) > builtAt);
  if (!stale) return true;
  if (!buildIfNeeded) {
    io.stderr(`procscope: the app is not built (no ${index}). Run \`npm run build\` or \`npm start\`.\n`);
    return false;
  }
  io.stdout('procscope: building the app (vite build)…\n');
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) { io.stderr('procscope: vite build failed\n'); return false; }
  return true;
}
