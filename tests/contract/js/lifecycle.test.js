// Runs that change, with the AWS SDK for JavaScript v3: a poll loop against a frozen clock the
// test advances through the admin API.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DataZoneClient, ListJobRunsCommand } from '@aws-sdk/client-datazone';
import { startMock } from './mock-process.js';

const SEED = `
domains:
  dzd_live01:
    jobs:
      etl:
        runs:
          - runId: run-X
            status: IN_PROGRESS
            createdAt: now
            lifecycle:
              - {status: SUCCESS, after: 5m}
`;

describe('a poll loop with @aws-sdk/client-datazone', () => {
  let mock;
  let client;

  before(async () => {
    mock = await startMock('--clock', 'frozen');
    client = new DataZoneClient({
      endpoint: mock.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDJSLIFECYCLE', secretAccessKey: 'js-secret' },
      maxAttempts: 1,
    });
    const seeded = await fetch(`${mock.endpoint}/_mock/fixtures`, { method: 'POST', body: SEED });
    assert.equal(seeded.status, 200, await seeded.text());
  });

  after(async () => {
    client.destroy();
    assert.equal(await mock.stop(), 0);
  });

  async function advance(duration) {
    const answer = await fetch(`${mock.endpoint}/_mock/clock`, {
      method: 'POST',
      body: JSON.stringify({ advance: duration }),
    });
    const text = await answer.text();
    assert.equal(answer.status, 200, text);
    return JSON.parse(text);
  }

  it('sees IN_PROGRESS until the clock passes five minutes, then SUCCESS with its endTime', async () => {
    const seen = [];
    let run;
    for (;;) {
      const page = await client.send(
        new ListJobRunsCommand({ domainIdentifier: 'dzd_live01', jobIdentifier: 'etl' }),
      );
      run = page.items[0];
      seen.push(run.status);
      if (run.status === 'SUCCESS' || seen.length > 10) break;
      await advance('1m');
    }
    assert.deepEqual(seen, ['IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS',
      'IN_PROGRESS', 'SUCCESS']);
    assert.ok(run.endTime instanceof Date);
    assert.equal(run.endTime.getTime() - run.createdAt.getTime(), 5 * 60 * 1000);
  });

  it('refuses a clock that would go backwards and leaves it as it was', async () => {
    const before = await (await fetch(`${mock.endpoint}/_mock/clock`)).json();
    const refused = await fetch(`${mock.endpoint}/_mock/clock`, {
      method: 'POST',
      body: JSON.stringify({ set: '2000-01-01T00:00:00Z' }),
    });
    assert.equal(refused.status, 400);
    assert.match((await refused.json()).message, /only moves forward/);
    assert.deepEqual(await (await fetch(`${mock.endpoint}/_mock/clock`)).json(), before);
  });
});
