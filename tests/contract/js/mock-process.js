// Starts build/datazone-mock on a free port for the JS contract tests; stops it with SIGTERM.
// A server never outlives the test run: it is killed when this process exits, and started
// through setpriv --pdeathsig (util-linux) where available, so the kernel kills it even when
// node is killed outright. Its log file is removed with it.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '..', '..', '..');
const binary = process.env.DATAZONE_MOCK_BIN ?? path.join(repo, 'build', 'datazone-mock');
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((candidate) => existsSync(candidate));

const running = new Set(); // { child, folder } not yet stopped
function forget(entry) {
  running.delete(entry);
  rmSync(entry.folder, { recursive: true, force: true });
}
process.on('exit', () => {
  for (const entry of running) {
    entry.child.kill('SIGKILL');
    rmSync(entry.folder, { recursive: true, force: true });
  }
});
// A signal would end node without the 'exit' event: exit instead, so the handler above runs.
for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(name, () => process.exit(128 + constants.signals[name]));
}

export async function startMock(...args) {
  // The request log goes to a file: an unread pipe would fill and block the server.
  const folder = mkdtempSync(path.join(tmpdir(), 'datazone-mock-js-'));
  const log = openSync(path.join(folder, 'server.log'), 'w');
  const argv = ['--port', '0', ...args];
  const child = setpriv
    ? spawn(setpriv, ['--pdeathsig', 'KILL', '--', binary, ...argv], { stdio: ['ignore', 'pipe', log] })
    : spawn(binary, argv, { stdio: ['ignore', 'pipe', log] });
  closeSync(log); // the child has its own descriptor
  const entry = { child, folder };
  running.add(entry);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  let endpoint;
  try {
    endpoint = await new Promise((resolve, reject) => {
      let buffered = '';
      child.stdout.on('data', (chunk) => {
        buffered += chunk;
        const newline = buffered.indexOf('\n');
        if (newline < 0) return;
        const line = buffered.slice(0, newline);
        const prefix = 'datazone-mock listening on ';
        if (line.startsWith(prefix)) resolve(line.slice(prefix.length));
        else reject(new Error(`unexpected first line: ${line}`));
      });
      child.on('error', reject);
      child.on('exit', (code) => reject(new Error(`datazone-mock exited with ${code}`)));
    });
  } catch (error) {
    const log = readFileSync(path.join(folder, 'server.log'), 'utf8');
    child.kill('SIGKILL');
    await exited;
    forget(entry);
    throw new Error(`${error.message}; log:\n${log}`);
  }
  return {
    endpoint,
    // SIGTERM; the exit code. A server still running after `timeoutMs` is killed and the
    // promise rejected, so a hung server fails the test instead of outliving it.
    async stop(timeoutMs = 20000) {
      if (!running.has(entry)) return exited;
      child.kill('SIGTERM');
      let timer;
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`datazone-mock did not exit within ${timeoutMs} ms of SIGTERM`));
        }, timeoutMs);
      });
      try {
        return await Promise.race([exited, timeout]);
      } finally {
        clearTimeout(timer);
        await exited;
        forget(entry);
      }
    },
  };
}

// Fixture timestamps to epoch milliseconds, independently of the server's parser.
const UNITS = { d: 86400000, h: 3600000, m: 60000, s: 1000, ms: 1 };

// A time relative to the mock's clock ("now-20d14h") is taken relative to 0: the tests compare
// the order of runs, which does not depend on where the clock stands.
function millis(value) {
  const text = String(value);
  if (text.startsWith('now')) {
    let offset = 0;
    for (const [, amount, unit] of text.slice(4).matchAll(/(\d+)(ms|d|h|m|s)/g)) {
      offset += Number(amount) * UNITS[unit];
    }
    return text[3] === '-' ? -offset : offset;
  }
  if (/^-?\d+(\.\d+)?$/.test(text)) {
    const [whole, fraction = ''] = text.split('.');
    const sign = whole.startsWith('-') ? -1 : 1;
    return Number(whole) * 1000 + sign * Number((fraction + '000').slice(0, 3));
  }
  const match = /^(.{19})(?:\.(\d+))?(Z|z|[+-]\d\d:\d\d)$/.exec(text);
  if (!match) throw new Error(`unreadable timestamp ${text}`);
  const zone = match[3] === 'z' ? 'Z' : match[3];
  return Date.parse(match[1] + zone) + Number(((match[2] ?? '') + '000').slice(0, 3));
}

// Map "domain/job" -> runs (each with createdAtMs) from the bundled fixture files.
export function loadFixtureRuns() {
  const jobs = new Map();
  const dir = path.join(repo, 'fixtures');
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.yaml')) continue;
    // FAILSAFE: every scalar is a string, as the server reads them.
    const doc = yaml.load(readFileSync(path.join(dir, name), 'utf8'), { schema: yaml.FAILSAFE_SCHEMA });
    for (const [domainId, domain] of Object.entries(doc.domains ?? {})) {
      for (const [jobId, job] of Object.entries(domain?.jobs ?? {})) {
        const runs = (job?.runs ?? []).map((run) => ({ ...run, createdAtMs: millis(run.createdAt) }));
        jobs.set(`${domainId}/${jobId}`, runs);
      }
    }
  }
  return jobs;
}

const compareBytes = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));

export function expectedRunIds(runs, ascending, status) {
  const ids = runs
    .filter((run) => status === undefined || run.status === status)
    .sort((a, b) => a.createdAtMs - b.createdAtMs || compareBytes(a.runId, b.runId))
    .map((run) => run.runId);
  return ascending ? ids : ids.reverse();
}

export const STATUSES = ['SCHEDULED', 'IN_PROGRESS', 'SUCCESS', 'PARTIALLY_SUCCEEDED', 'FAILED',
  'ABORTED', 'TIMED_OUT', 'CANCELED'];
