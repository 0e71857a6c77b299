// The AWS SDK for JavaScript v3 against datazone-mock: paginator, filters, and modeled errors.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DataZoneClient, ListJobRunsCommand, paginateListJobRuns,
  ValidationException, ResourceNotFoundException,
} from '@aws-sdk/client-datazone';
import { startMock, loadFixtureRuns, expectedRunIds, STATUSES } from './mock-process.js';

const DOMAIN = 'dzd_demo01';
const JOB = 'nightly-lineage';

describe('ListJobRuns with @aws-sdk/client-datazone', () => {
  let mock;
  let client;
  const fixtures = loadFixtureRuns();

  before(async () => {
    mock = await startMock('--token-secret', 'js-contract');
    client = new DataZoneClient({
      endpoint: mock.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDJSCONTRACT', secretAccessKey: 'js-secret' },
      maxAttempts: 1,
    });
  });

  after(async () => {
    client.destroy();
    assert.equal(await mock.stop(), 0, 'SIGTERM stops the server with exit code 0');
  });

  async function traverse(input, pageSize) {
    const ids = [];
    let pages = 0;
    for await (const page of paginateListJobRuns({ client, pageSize }, input)) {
      pages += 1;
      assert.ok(page.items.length <= pageSize);
      ids.push(...page.items.map((item) => item.runId));
    }
    return { ids, pages };
  }

  it('paginates every job in fixture order, both sort orders, every status', async () => {
    for (const [key, runs] of fixtures) {
      const [domainIdentifier, jobIdentifier] = key.split('/');
      for (const pageSize of [1, 7, 50]) {
        for (const sortOrder of [undefined, 'ASCENDING', 'DESCENDING']) {
          for (const status of [undefined, ...STATUSES]) {
            if (pageSize === 1 && jobIdentifier === JOB && ![undefined, 'FAILED'].includes(status)) continue;
            const { ids, pages } = await traverse({ domainIdentifier, jobIdentifier, sortOrder, status }, pageSize);
            const expected = expectedRunIds(runs, sortOrder === 'ASCENDING', status);
            assert.deepEqual(ids, expected, `${key} size=${pageSize} sort=${sortOrder} status=${status}`);
            assert.equal(pages, Math.max(1, Math.ceil(expected.length / pageSize)));
          }
        }
      }
    }
  });

  it('reads timestamps as Dates with milliseconds and omits absent members', async () => {
    const page = await client.send(new ListJobRunsCommand({
      domainIdentifier: 'dzd-analytics_02', jobIdentifier: 'weekly-rollup', sortOrder: 'ASCENDING',
    }));
    const [first, second, third] = page.items;
    assert.equal(first.createdAt.toISOString(), '2025-07-07T04:00:00.000Z');
    assert.equal(first.endTime.toISOString(), '2025-07-07T04:41:17.500Z');
    assert.equal(second.error.message, 'Upstream table "events" is locked');
    assert.equal(third.createdAt.toISOString(), '2025-07-16T13:22:10.123Z');
    assert.equal(third.startTime, undefined);
    assert.equal(third.runMode, 'ON_DEMAND');
    assert.equal(page.nextToken, undefined);
    assert.match(page.$metadata.requestId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  async function expectError(input, ExceptionClass, name, message, status) {
    await assert.rejects(client.send(new ListJobRunsCommand(input)), (error) => {
      if (ExceptionClass) assert.ok(error instanceof ExceptionClass, `${error.name} is modeled`);
      assert.equal(error.name, name);
      assert.equal(error.message, message);
      assert.equal(error.$metadata.httpStatusCode, status);
      assert.ok(error.$metadata.requestId);
      return true;
    });
  }

  it('raises ValidationException with every violation', async () => {
    await expectError(
      { domainIdentifier: '', jobIdentifier: JOB, maxResults: 0, nextToken: '' },
      ValidationException, 'ValidationException',
      "3 validation errors detected: Value at 'domainIdentifier' failed to satisfy constraint: "
        + 'Member must satisfy regular expression pattern: dzd[-_][a-zA-Z0-9_-]{1,36}; '
        + "Value at 'nextToken' failed to satisfy constraint: Member must have length greater than or equal to 1; "
        + "Value at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
      400);
  });

  it('raises SerializationException for a non-integer maxResults', async () => {
    await expectError({ domainIdentifier: DOMAIN, jobIdentifier: JOB, maxResults: 2.5 }, undefined,
      'SerializationException', "Value at 'maxResults' cannot be converted to an integer", 400);
  });

  it('raises ResourceNotFoundException for an unknown domain or job', async () => {
    for (const [domainIdentifier, jobIdentifier] of [['dzd_missing', JOB], [DOMAIN, 'missing']]) {
      await expectError({ domainIdentifier, jobIdentifier }, ResourceNotFoundException,
        'ResourceNotFoundException', 'The specified resource cannot be found.', 404);
    }
  });

  it('rejects a token used with another filter', async () => {
    const first = await client.send(new ListJobRunsCommand({ domainIdentifier: DOMAIN, jobIdentifier: JOB, maxResults: 2 }));
    await expectError({ domainIdentifier: DOMAIN, jobIdentifier: JOB, nextToken: first.nextToken, status: 'FAILED' },
      ValidationException, 'ValidationException', 'The nextToken provided is invalid.', 400);
    await expectError({ domainIdentifier: DOMAIN, jobIdentifier: 'hourly-sync', nextToken: first.nextToken },
      ValidationException, 'ValidationException', 'The nextToken provided is invalid.', 400);
  });
});
