// The AWS SDK for JavaScript v3 over HTTPS (--tls-cert/--tls-key), trusting a throwaway test CA
// made here with the openssl CLI: once through an https.Agent with `ca`, once through
// NODE_EXTRA_CA_CERTS in a child node process, and refused without it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DataZoneClient, ListJobRunsCommand, paginateListJobRuns, ResourceNotFoundException,
} from '@aws-sdk/client-datazone';
import { startMock, loadFixtureRuns, expectedRunIds } from './mock-process.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const DOMAIN = 'dzd_demo01';
const JOB = 'nightly-lineage';
const credentials = { accessKeyId: 'AKIDJSTLS', secretAccessKey: 'js-tls-secret' };

// A CA, and a server certificate it signs for 127.0.0.1 and localhost.
function makeTestPki(folder) {
  const openssl = (...args) => execFileSync('openssl', args, { cwd: folder, stdio: 'pipe' });
  writeFileSync(path.join(folder, 'ca.cnf'), [
    '[req]', 'distinguished_name = dn', 'prompt = no',
    '[dn]', 'CN = datazone-mock JS test CA',
    '[ca_ext]', 'basicConstraints = critical, CA:TRUE',
    'keyUsage = critical, keyCertSign, cRLSign', 'subjectKeyIdentifier = hash', ''].join('\n'));
  writeFileSync(path.join(folder, 'server.ext'), [
    'basicConstraints = critical, CA:FALSE',
    'keyUsage = critical, digitalSignature, keyEncipherment',
    'extendedKeyUsage = serverAuth',
    'subjectAltName = IP:127.0.0.1, DNS:localhost',
    'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid', ''].join('\n'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2',
    '-config', 'ca.cnf', '-extensions', 'ca_ext');
  openssl('req', '-new', ...ec, '-keyout', 'server.key', '-out', 'server.csr',
    '-subj', '/CN=127.0.0.1');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key',
    '-set_serial', '2', '-days', '2', '-extfile', 'server.ext', '-out', 'server.pem');
  return {
    ca: path.join(folder, 'ca.pem'),
    cert: path.join(folder, 'server.pem'),
    key: path.join(folder, 'server.key'),
  };
}

describe('ListJobRuns with @aws-sdk/client-datazone over HTTPS', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'datazone-mock-js-tls-'));
  const expected = expectedRunIds(loadFixtureRuns().get(`${DOMAIN}/${JOB}`), false);
  let pki;
  let mock;
  const clients = [];

  function client(requestHandler) {
    const made = new DataZoneClient({
      endpoint: mock.endpoint, region: 'us-east-1', credentials, maxAttempts: 1, requestHandler,
    });
    clients.push(made);
    return made;
  }

  before(async () => {
    pki = makeTestPki(folder);
    mock = await startMock('--token-secret', 'js-tls', '--tls-cert', pki.cert, '--tls-key', pki.key);
  });

  after(async () => {
    for (const made of clients) made.destroy();
    try {
      if (mock) assert.equal(await mock.stop(), 0, 'SIGTERM stops the server with exit code 0');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('names an https endpoint on its first line', () => {
    assert.match(mock.endpoint, /^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('paginates every run once through an https.Agent that trusts the CA', async () => {
    assert.equal(expected.length, 130);
    const agent = new https.Agent({ ca: readFileSync(pki.ca), keepAlive: true });
    const tls = client({ httpsAgent: agent });
    const ids = [];
    let pages = 0;
    for await (const page of paginateListJobRuns({ client: tls, pageSize: 25 },
      { domainIdentifier: DOMAIN, jobIdentifier: JOB })) {
      pages += 1;
      ids.push(...page.items.map((run) => run.runId));
    }
    assert.deepEqual(ids, expected);
    assert.equal(new Set(ids).size, 130);
    assert.equal(pages, 6);
  });

  it('raises modeled errors over TLS', async () => {
    const tls = client({ httpsAgent: new https.Agent({ ca: readFileSync(pki.ca) }) });
    await assert.rejects(
      tls.send(new ListJobRunsCommand({ domainIdentifier: 'dzd_unknown01', jobIdentifier: JOB })),
      (error) => {
        assert.ok(error instanceof ResourceNotFoundException, error.name);
        assert.equal(error.$metadata.httpStatusCode, 404);
        assert.equal(error.message, 'The specified resource cannot be found.');
        return true;
      });
  });

  it('refuses the certificate without the CA: the TLS is real', async () => {
    const untrusting = client(undefined);
    await assert.rejects(
      untrusting.send(new ListJobRunsCommand({ domainIdentifier: DOMAIN, jobIdentifier: JOB })),
      (error) => {
        // The server sends only its own certificate, signed by a CA Node does not know.
        assert.ok(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
          'SELF_SIGNED_CERT_IN_CHAIN'].includes(error.code), `${error.code}: ${error.message}`);
        return true;
      });
  });

  it('paginates with NODE_EXTRA_CA_CERTS in a child node process', async () => {
    // Node reads NODE_EXTRA_CA_CERTS only at start-up, so the client runs in its own process,
    // built as a user would build it: no agent, no handler, only the endpoint.
    const script = `
      import { DataZoneClient, paginateListJobRuns } from '@aws-sdk/client-datazone';
      const client = new DataZoneClient({
        endpoint: process.env.MOCK_ENDPOINT, region: 'us-east-1', maxAttempts: 1,
        credentials: { accessKeyId: 'AKIDJSTLSCHILD', secretAccessKey: 'secret' },
      });
      const ids = [];
      for await (const page of paginateListJobRuns({ client, pageSize: 50 },
        { domainIdentifier: '${DOMAIN}', jobIdentifier: '${JOB}' })) {
        ids.push(...page.items.map((run) => run.runId));
      }
      client.destroy();
      process.stdout.write(JSON.stringify(ids));
    `;
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: pki.ca, MOCK_ENDPOINT: mock.endpoint };
    const stdout = await new Promise((resolve, reject) => {
      execFile(process.execPath, ['--input-type=module', '--eval', script],
        { cwd: here, env, timeout: 120_000 }, (error, out, err) => {
          if (error) reject(new Error(`child failed: ${error.message}\n${err}`));
          else resolve(out);
        });
    });
    assert.deepEqual(JSON.parse(stdout), expected);
  });
});
