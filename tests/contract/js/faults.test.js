// Scenarios and SigV4 verification with the AWS SDK for JavaScript v3.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataZoneClient, ListJobRunsCommand, ThrottlingException } from '@aws-sdk/client-datazone';
import { startMock } from './mock-process.js';

const DOMAIN = 'dzd_demo01';
const JOB = 'nightly-lineage';

function makeClient(endpoint, accessKeyId = 'AKIDJS', secretAccessKey = 'js-secret') {
  return new DataZoneClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey } });
}

describe('scenarios with the JS SDK', () => {
  let mock;
  before(async () => { mock = await startMock('--scenario', 'always-throttled'); });
  after(async () => { assert.equal(await mock.stop(), 0); });

  it('always-throttled: 3 attempts, then ThrottlingException with the scenario message', async () => {
    const client = makeClient(mock.endpoint);
    await assert.rejects(client.send(new ListJobRunsCommand({ domainIdentifier: DOMAIN, jobIdentifier: JOB })),
      (error) => {
        assert.ok(error instanceof ThrottlingException);
        assert.equal(error.message, 'Rate exceeded');
        assert.equal(error.$metadata.httpStatusCode, 429);
        assert.equal(error.$metadata.attempts, 3);
        return true;
      });
    const status = await (await fetch(`${mock.endpoint}/_mock/scenarios`)).json();
    const scenario = status.scenarios.find((s) => s.name === 'always-throttled');
    assert.equal(scenario.rules[0].matched, 3);
    client.destroy();
  });
});

describe('--auth verify with the JS SDK', () => {
  let mock;
  let folder;
  before(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'datazone-mock-js-'));
    const credentials = path.join(folder, 'credentials.yaml');
    writeFileSync(credentials, 'credentials:\n  - {accessKeyId: AKIDJSOK, secretAccessKey: right}\n');
    mock = await startMock('--auth', 'verify', '--credentials', credentials);
  });
  after(async () => {
    try {
      if (mock) assert.equal(await mock.stop(), 0);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('accepts the SDK signature of a listed key', async () => {
    const client = makeClient(mock.endpoint, 'AKIDJSOK', 'right');
    const page = await client.send(new ListJobRunsCommand({
      domainIdentifier: DOMAIN, jobIdentifier: JOB, status: 'FAILED', sortOrder: 'ASCENDING', maxResults: 2,
    }));
    assert.equal(page.items.length, 2);
    client.destroy();
  });

  it('rejects a wrong secret with InvalidSignatureException', async () => {
    const client = makeClient(mock.endpoint, 'AKIDJSOK', 'wrong');
    await assert.rejects(client.send(new ListJobRunsCommand({ domainIdentifier: DOMAIN, jobIdentifier: JOB })),
      (error) => {
        assert.equal(error.name, 'InvalidSignatureException');
        assert.equal(error.$metadata.httpStatusCode, 403);
        assert.match(error.message, /^The request signature we calculated does not match/);
        return true;
      });
    client.destroy();
  });
});
