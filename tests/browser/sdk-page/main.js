// Browser entry of the SDK page, bundled by esbuild into dist/sdk.js (sdk.test.js does that).
// The pinned AWS SDK for JavaScript v3 calls datazone-mock cross-origin, so only the mock's CORS
// headers let it through. The page's query says where and what:
//   ?endpoint=http://127.0.0.1:PORT   the mock (required)
//   &mode=list        page through every run of dzd_demo01/nightly-lineage (pageSize 20)
//   &mode=throttled   one call, expected to fail: show the error the SDK raised
// Without `mode` nothing runs until a button is pressed. The outcome goes into <pre id="result">
// as JSON, with data-state="done" (or "error" when the page itself failed) once it is there.
import {
  DataZoneClient, ListJobRunsCommand, paginateListJobRuns, ThrottlingException,
} from '@aws-sdk/client-datazone';

const DOMAIN = 'dzd_demo01';
const JOB = 'nightly-lineage';
const query = new URLSearchParams(window.location.search);
const endpoint = query.get('endpoint');

function makeClient() {
  return new DataZoneClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDBROWSER', secretAccessKey: 'secret' },
  });
}

// Every run of the job, in the order the pages gave them.
async function listAll() {
  const client = makeClient();
  const runIds = [];
  let pages = 0;
  try {
    for await (const page of paginateListJobRuns({ client, pageSize: 20 },
      { domainIdentifier: DOMAIN, jobIdentifier: JOB })) {
      pages += 1;
      runIds.push(...(page.items ?? []).map((item) => item.runId));
    }
  } finally {
    client.destroy();
  }
  return { runIds, pages };
}

// An error as plain JSON: what a browser app can see of it (no $response).
function describeError(error) {
  return {
    name: error?.name,
    message: error?.message,
    isThrottlingException: error instanceof ThrottlingException,
    isTypeError: error instanceof TypeError,
    fault: error?.$fault,
    httpStatusCode: error?.$metadata?.httpStatusCode,
    requestId: error?.$metadata?.requestId,
    attempts: error?.$metadata?.attempts,
  };
}

// One ListJobRuns call; its error (or, unexpectedly, its success).
async function callOnce() {
  const client = makeClient();
  try {
    const page = await client.send(new ListJobRunsCommand({
      domainIdentifier: DOMAIN, jobIdentifier: JOB, maxResults: 20,
    }));
    return { ok: true, items: page.items?.length ?? 0, requestId: page.$metadata?.requestId };
  } catch (error) {
    return { ok: false, error: describeError(error) };
  } finally {
    client.destroy();
  }
}

async function run(mode) {
  const result = document.getElementById('result');
  result.removeAttribute('data-state');
  result.textContent = `running ${mode}…`;
  try {
    if (!endpoint) throw new Error('no ?endpoint= in the page URL');
    const outcome = mode === 'throttled' ? await callOnce() : await listAll();
    result.textContent = JSON.stringify({ mode, ...outcome }, null, 2);
    result.dataset.state = 'done';
  } catch (error) {
    result.textContent = JSON.stringify({ mode, ok: false, error: describeError(error) }, null, 2);
    result.dataset.state = 'error';
  }
}

document.getElementById('endpoint').textContent = endpoint ?? '(none: add ?endpoint=)';
document.getElementById('list').addEventListener('click', () => run('list'));
document.getElementById('throttled').addEventListener('click', () => run('throttled'));
const mode = query.get('mode');
if (mode) run(mode);
