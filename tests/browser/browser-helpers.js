// What the browser tests share: the SDK page bundled with esbuild, a tiny static server for it,
// headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core: no browser download),
// the page's console, and cleanup that runs every step even when one fails. The mock itself is
// started by the contract tests' helper (DATAZONE_MOCK_BIN, setpriv --pdeathsig).
import { createServer } from 'node:http';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

export { startMock, loadFixtureRuns, expectedRunIds } from '../contract/js/mock-process.js';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const chromiumPath = process.env.DATAZONE_MOCK_CHROMIUM ?? '/usr/bin/chromium';

// sdk-page/main.js with the pinned SDK, for the browser: dist/sdk.js.
export async function bundleSdkPage() {
  await build({
    entryPoints: [path.join(here, 'sdk-page', 'main.js')],
    outfile: path.join(here, 'dist', 'sdk.js'),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    logLevel: 'silent', // problems are thrown, with their messages
  });
}

// Serves sdk-page/index.html at / and dist/ at /dist/ on a free port of 127.0.0.1: another
// origin than the mock's, so the page's calls are cross-origin.
export async function serveSdkPage() {
  const files = {
    '/': ['sdk-page/index.html', 'text/html; charset=utf-8'],
    '/index.html': ['sdk-page/index.html', 'text/html; charset=utf-8'],
    '/dist/sdk.js': ['dist/sdk.js', 'text/javascript; charset=utf-8'],
  };
  const server = createServer((request, response) => {
    const file = files[new URL(request.url, 'http://x').pathname];
    if (request.method !== 'GET' || !file) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'Content-Type': file[1], 'Cache-Control': 'no-store' });
    response.end(readFileSync(path.join(here, file[0])));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox'],
    timeout: 30000,
  });
}

// Every console error and warning and every uncaught page error, as text, from now on.
export function collectConsole(page) {
  const messages = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      messages.push(`${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => messages.push(`pageerror: ${error.message}`));
  return messages;
}

// Runs every step, even after one threw; then throws the first error. For after() hooks, so a
// failing stop does not leave the browser or another server running.
export async function cleanUp(...steps) {
  const errors = [];
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length) throw errors[0];
}

// A JSON admin call to the mock; throws on a non-2xx answer.
export async function admin(endpoint, method, target, body, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(endpoint + target, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${target}: ${response.status} ${text}`);
  return JSON.parse(text);
}

// Where screenshots go: $DATAZONE_MOCK_SCREENSHOTS/out, else tests/browser/out.
export function screenshotDir() {
  const base = process.env.DATAZONE_MOCK_SCREENSHOTS;
  const dir = base ? path.join(base, 'out') : path.join(here, 'out');
  mkdirSync(dir, { recursive: true });
  return dir;
}
