// The AWS SDK for JavaScript v3 (the pinned @aws-sdk/client-datazone, bundled with esbuild) in
// headless Chromium, calling datazone-mock from a page on another origin: with --cors it pages
// through every run and reads an injected throttle as a ThrottlingException; without --cors the
// browser blocks the call, so CORS is what makes it work.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  admin, bundleSdkPage, cleanUp, collectConsole, expectedRunIds, launchBrowser, loadFixtureRuns,
  serveSdkPage, startMock,
} from './browser-helpers.js';

const DOMAIN = 'dzd_demo01';
const JOB = 'nightly-lineage';
const KEY = 'AKIDBROWSER';
// Chromium's line for each failed response the page fetched (the SDK's attempts at a 429).
const FAILED_429 = /^error: Failed to load resource: the server responded with a status of 429\b/;

let site;
let browser;

before(async () => {
  await bundleSdkPage();
  site = await serveSdkPage();
  browser = await launchBrowser();
});
after(() => cleanUp(() => browser?.close(), () => site?.close()));

// Opens the SDK page in a fresh context with `query`; waits for its #result. Closes the context
// when the test ends, passed or not.
async function runPage(t, query) {
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  const messages = collectConsole(page);
  await page.goto(`${site.origin}/?${new URLSearchParams(query)}`);
  const result = page.locator('#result[data-state]');
  await result.waitFor({ timeout: 20000 });
  return { page, messages, state: await result.getAttribute('data-state'), outcome: JSON.parse(await result.textContent()) };
}

describe('with --cors: the page is allowed', () => {
  let mock;
  before(async () => {
    mock = await startMock('--cors', site.origin, '--token-secret', 'browser');
  });
  after(async () => {
    if (mock) assert.equal(await mock.stop(), 0);
  });

  it('paginateListJobRuns lists all 130 runs exactly once', async (t) => {
    const { messages, state, outcome } = await runPage(t, { endpoint: mock.endpoint, mode: 'list' });
    assert.equal(state, 'done', JSON.stringify(outcome));
    const expected = expectedRunIds(loadFixtureRuns().get(`${DOMAIN}/${JOB}`), false);
    assert.equal(expected.length, 130);
    assert.equal(new Set(outcome.runIds).size, outcome.runIds.length, 'a run listed twice');
    assert.deepEqual(outcome.runIds, expected);
    assert.equal(outcome.pages, 7); // 6 pages of 20 and one of 10
    assert.deepEqual(messages, []);
    // The journal saw the calls themselves (the preflights are not journaled), signed by the page.
    const journal = await admin(mock.endpoint, 'GET', `/_mock/requests?accessKeyId=${KEY}`);
    assert.deepEqual(journal.requests.map((r) => [r.method, r.status]), Array(7).fill(['GET', 200]));
  });

  it('an injected throttle is a ThrottlingException with status 429', async (t) => {
    await admin(mock.endpoint, 'DELETE', '/_mock/requests');
    await admin(mock.endpoint, 'PUT', '/_mock/scenarios/active', { active: ['always-throttled'] });
    t.after(() => admin(mock.endpoint, 'PUT', '/_mock/scenarios/active', { active: [] }));
    const { messages, state, outcome } = await runPage(t, { endpoint: mock.endpoint, mode: 'throttled' });
    assert.equal(state, 'done', JSON.stringify(outcome));
    assert.equal(outcome.ok, false, JSON.stringify(outcome));
    const { error } = outcome;
    assert.equal(error.name, 'ThrottlingException');
    assert.equal(error.isThrottlingException, true);
    assert.equal(error.httpStatusCode, 429);
    assert.equal(error.message, 'Rate exceeded');
    assert.equal(error.attempts, 3); // the SDK's standard retries
    // The request id the SDK read from x-amzn-RequestId (exposed by CORS) is the journal's.
    const journal = await admin(mock.endpoint, 'GET', `/_mock/requests?accessKeyId=${KEY}`);
    assert.equal(journal.requests.length, 3);
    assert.ok(journal.requests.every((r) => r.status === 429 && r.errorType === 'ThrottlingException'));
    assert.match(error.requestId ?? '', /\S/, 'no requestId: x-amzn-RequestId not readable');
    assert.equal(error.requestId, journal.requests.at(-1).requestId);
    // Chromium logs each failed response; nothing else may show up.
    assert.deepEqual(messages.filter((m) => !FAILED_429.test(m)), [], messages.join('\n'));
    assert.equal(messages.length, 3, messages.join('\n'));
  });
});

describe('without --cors: the browser blocks the page', () => {
  let mock;
  before(async () => {
    mock = await startMock('--token-secret', 'browser');
  });
  after(async () => {
    if (mock) assert.equal(await mock.stop(), 0);
  });

  it('the call fails with a network error, and no call reaches the data', async (t) => {
    const { messages, state, outcome } = await runPage(t, { endpoint: mock.endpoint, mode: 'throttled' });
    assert.equal(state, 'done', JSON.stringify(outcome));
    assert.equal(outcome.ok, false, JSON.stringify(outcome));
    assert.equal(outcome.error.name, 'TypeError', JSON.stringify(outcome));
    assert.match(outcome.error.message, /^Failed to fetch\b/); // Chromium's words for a blocked fetch
    assert.equal(outcome.error.httpStatusCode, undefined);
    assert.ok(messages.some((m) => /blocked by CORS policy/.test(m)), messages.join('\n'));
    // The preflight (OPTIONS) may reach the mock; the signed GET never does.
    const journal = await admin(mock.endpoint, 'GET', '/_mock/requests');
    assert.deepEqual(journal.requests.filter((r) => r.method === 'GET'), []);
  });
});
