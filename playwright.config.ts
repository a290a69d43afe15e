import { defineConfig } from '@playwright/test';

// e2e runs against the built app (dist/) served by our own server, in Debian's Chromium:
// browser downloads fail on CI machines, so executablePath points at /usr/bin/chromium.
const port = Number(process.env.E2E_PORT ?? 4417);
export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: {
    command: `node bin/procscope.mjs serve --port ${port} --data test-results/e2e-data`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
