// Example: node:test + @aws-sdk/client-datazone against datazone-mock, with the admin API.
// Needs a running mock: DATAZONE_MOCK_ENDPOINT (default http://127.0.0.1:8484), or
// DATAZONE_MOCK_BIN to start one on a free port.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { DataZoneClient, ListJobRunsCommand, paginateListJobRuns, ThrottlingException } from '@aws-sdk/client-datazone';

let endpoint = process.env.DATAZONE_MOCK_ENDPOINT ?? 'http://127.0.0.1:8484';
let child;

before(async () => {
  if (!process.env.DATAZONE_MOCK_BIN) return;
  child = spawn(process.env.DATAZONE_MOCK_BIN, ['--port', '0'], { stdio: ['ignore', 'pipe', 'ignore'] });
  endpoint = await new Promise((resolve) => {
    child.stdout.once('data', (chunk) => resolve(String(chunk).trim().split(' ').pop()));
  });
});

after(async () => {
  if (!child) return;
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});

const admin = (method, path, body) => fetch(endpoint + path, { method, body }).then((r) => r.json());

// Each test uses its own fake access key id, so tests can share one mock.
const client = (accessKeyId) => new DataZoneClient({
  endpoint, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey: 'secret' },
});

it('pages through seeded runs', async () => {
  const runs = Array.from({ length: 12 }, (_, i) => ({ runId: `r${i}`, status: 'SUCCESS', createdAt: 1735689600 + i }));
  await admin('POST', '/_mock/fixtures', JSON.stringify({ domains: { dzd_node: { jobs: { job: { runs } } } } }));
  const ids = [];
  for await (const page of paginateListJobRuns({ client: client('AKIDNODE1'), pageSize: 5 },
    { domainIdentifier: 'dzd_node', jobIdentifier: 'job', sortOrder: 'ASCENDING' })) {
    ids.push(...page.items.map((run) => run.runId));
  }
  assert.deepEqual(ids, runs.map((run) => run.runId));
});

it('gives up after 3 attempts when always throttled', async () => {
  await admin('PUT', '/_mock/scenarios/active', JSON.stringify({ active: ['always-throttled'] }));
  try {
    await assert.rejects(
      client('AKIDNODE2').send(new ListJobRunsCommand({ domainIdentifier: 'dzd_demo01', jobIdentifier: 'nightly-lineage' })),
      (error) => error instanceof ThrottlingException && error.$metadata.attempts === 3);
  } finally {
    await admin('PUT', '/_mock/scenarios/active', JSON.stringify({ active: [] }));
  }
  const { requests } = await admin('GET', '/_mock/requests?accessKeyId=AKIDNODE2');
  assert.deepEqual(requests.map((r) => r.attempt), [1, 2, 3]);
});
