// Starts build/datazone-mock on a free port for the JS contract tests; stops it with SIGTERM.
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '..', '..', '..');
const binary = process.env.DATAZONE_MOCK_BIN ?? path.join(repo, 'build', 'datazone-mock');

export async function startMock(...args) {
  // The request log goes to a file: an unread pipe would fill and block the server.
  const logPath = path.join(tmpdir(), `datazone-mock-js-${process.pid}-${Date.now()}.log`);
  const log = openSync(logPath, 'w');
  const child = spawn(binary, ['--port', '0', ...args], { stdio: ['ignore', 'pipe', log] });
  const endpoint = await new Promise((resolve, reject) => {
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
    child.on('exit', (code) => reject(new Error(`datazone-mock exited with ${code}`)));
  });
  return {
    endpoint,
    async stop() {
      const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      const code = await exited;
      closeSync(log);
      return code;
    },
  };
}

// Fixture timestamps to epoch milliseconds, independently of the server's parser.
function millis(value) {
  const text = String(value);
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
