// Paginators under stress with the AWS SDK for JavaScript v3: paginateListJobRuns under the
// bundled page-shape scenarios, and while runs are added, deleted and changed mid-pagination.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DataZoneClient, paginateListJobRuns } from '@aws-sdk/client-datazone';
import { startMock, loadFixtureRuns, expectedRunIds } from './mock-process.js';

const DOMAIN = 'dzd_demo01';
const JOB = 'nightly-lineage'; // 130 runs

function makeClient(endpoint) {
  return new DataZoneClient({
    endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDJSPAGES', secretAccessKey: 'secret' },
  });
}

async function admin(endpoint, method, path, body) {
  const response = await fetch(endpoint + path, {
    method, body: body === undefined ? undefined : JSON.stringify(body),
    headers: { 'Content-Type': 'application/json' },
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

describe('paginateListJobRuns under page shapes', () => {
  let mock;
  const runs = loadFixtureRuns().get(`${DOMAIN}/${JOB}`);
  before(async () => { mock = await startMock('--token-secret', 'js-pages'); });
  after(async () => { assert.equal(await mock.stop(), 0); });

  for (const scenario of ['short-pages', 'empty-pages', 'trailing-empty-page']) {
    it(`${scenario}: every run exactly once, in order`, async () => {
      await admin(mock.endpoint, 'PUT', '/_mock/scenarios/active', { active: [scenario] });
      const client = makeClient(mock.endpoint);
      for (const pageSize of [undefined, 9]) {
        for (const sortOrder of ['DESCENDING', 'ASCENDING']) {
          const ids = [];
          const sizes = [];
          for await (const page of paginateListJobRuns({ client, pageSize }, {
            domainIdentifier: DOMAIN, jobIdentifier: JOB, sortOrder,
          })) {
            ids.push(...page.items.map((item) => item.runId));
            sizes.push(page.items.length);
          }
          const what = `${scenario} pageSize=${pageSize} ${sortOrder}`;
          assert.deepEqual(ids, expectedRunIds(runs, sortOrder === 'ASCENDING'), what);
          // The shape really happened.
          if (scenario === 'short-pages') assert.equal(sizes[0], 1, what);
          if (scenario === 'empty-pages') assert.deepEqual([sizes[0], sizes[2]], [0, 0], what);
          if (scenario === 'trailing-empty-page') assert.equal(sizes.at(-1), 0, what);
        }
      }
      client.destroy();
      await admin(mock.endpoint, 'PUT', '/_mock/scenarios/active', { active: [] });
    });
  }
});

describe('paginateListJobRuns while the list changes', () => {
  let mock;
  before(async () => { mock = await startMock(); });
  after(async () => { assert.equal(await mock.stop(), 0); });

  it('returns every run that still exists once, and nothing newer than page 1', async () => {
    const job = 'changing';
    const at = (i) => 1754000000 + i * 60;
    const seeded = Array.from({ length: 30 }, (_, k) => ({ runId: `run-${String(k + 1).padStart(2, '0')}`, status: 'SUCCESS', createdAt: at(k + 1) }));
    await admin(mock.endpoint, 'POST', '/_mock/fixtures', { domains: { [DOMAIN]: { jobs: { [job]: { runs: seeded } } } } });
    const client = makeClient(mock.endpoint);
    const ids = [];
    let first = true;
    for await (const page of paginateListJobRuns({ client, pageSize: 4 }, { domainIdentifier: DOMAIN, jobIdentifier: job })) {
      ids.push(...page.items.map((item) => item.runId));
      if (!first) continue;
      first = false;
      const base = `/_mock/fixtures/${DOMAIN}/${job}/runs/`;
      await admin(mock.endpoint, 'POST', '/_mock/fixtures', { domains: { [DOMAIN]: { jobs: { [job]: { runs: [{ runId: 'run-99', status: 'FAILED', createdAt: at(99) }] } } } } });
      await admin(mock.endpoint, 'DELETE', `${base}run-10`);
      await admin(mock.endpoint, 'PUT', `${base}run-15`, { runId: 'run-15', status: 'FAILED', createdAt: at(15) });
    }
    const expected = seeded.map((run) => run.runId).filter((id) => id !== 'run-10').reverse();
    assert.deepEqual(ids, expected);
    client.destroy();
  });
});
