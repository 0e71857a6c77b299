"""HTTPS (--tls-cert/--tls-key) with real clients: boto3 and the aws CLI trusting a test CA.

Every run makes its own throwaway CA and a server certificate for 127.0.0.1 and localhost with
the openssl CLI, so nothing secret or long-lived is kept in the repository.
"""

import http.client
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import unittest
import urllib.request
import warnings

import boto3
import botocore.config
import botocore.exceptions

sys.path.insert(0, os.path.dirname(__file__))
import mock_process  # noqa: E402

DOMAIN = "dzd_demo01"
JOB = "nightly-lineage"


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def make_test_pki(folder):
    """Writes ca.pem (a CA) and server.pem/server.key (signed by it) into folder."""
    with open(os.path.join(folder, "ca.cnf"), "w") as handle:
        handle.write("[req]\ndistinguished_name = dn\nprompt = no\n[dn]\n"
                     "CN = datazone-mock test CA\n"
                     "[ca_ext]\nbasicConstraints = critical, CA:TRUE\n"
                     "keyUsage = critical, keyCertSign, cRLSign\n"
                     "subjectKeyIdentifier = hash\n")
    with open(os.path.join(folder, "server.ext"), "w") as handle:
        handle.write("basicConstraints = critical, CA:FALSE\n"
                     "keyUsage = critical, digitalSignature, keyEncipherment\n"
                     "extendedKeyUsage = serverAuth\n"
                     "subjectAltName = IP:127.0.0.1, DNS:localhost\n"
                     "subjectKeyIdentifier = hash\n"
                     "authorityKeyIdentifier = keyid\n")
    ec = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")
    openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
            "-config", "ca.cnf", "-extensions", "ca_ext", cwd=folder)
    openssl("req", "-new", *ec, "-keyout", "server.key", "-out", "server.csr",
            "-subj", "/CN=127.0.0.1", cwd=folder)
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-set_serial", "2", "-days", "2", "-extfile", "server.ext", "-out", "server.pem",
            cwd=folder)
    return {name: os.path.join(folder, name) for name in ("ca.pem", "server.pem", "server.key")}


def make_client(endpoint, verify):
    session = boto3.session.Session(
        aws_access_key_id=mock_process.CLIENT_ENV["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=mock_process.CLIENT_ENV["AWS_SECRET_ACCESS_KEY"],
        region_name="us-east-1",
    )
    config = botocore.config.Config(retries={"max_attempts": 1})
    return session.client("datazone", endpoint_url=endpoint, verify=verify, config=config)


class TlsContractTest(mock_process.MockTestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp(prefix="datazone-mock-tls-")
        try:
            cls.pki = make_test_pki(cls.folder)
            cls.server_args = ("--token-secret", "tls-contract",
                               "--tls-cert", cls.pki["server.pem"],
                               "--tls-key", cls.pki["server.key"])
            super().setUpClass()
        except BaseException:
            shutil.rmtree(cls.folder, ignore_errors=True)
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            shutil.rmtree(cls.folder, ignore_errors=True)

    def test_first_line_names_an_https_endpoint(self):
        self.assertRegex(self.mock.endpoint, r"^https://127\.0\.0\.1:\d+$")

    def test_boto3_paginates_every_run_once_over_tls(self):
        client = make_client(self.mock.endpoint, verify=self.pki["ca.pem"])
        expected = mock_process.expected_run_ids(self.fixture_runs[(DOMAIN, JOB)], ascending=False)
        self.assertEqual(len(expected), 130)
        for page_size in (25, 50):
            with self.subTest(page_size=page_size):
                ids, pages = [], 0
                for page in client.get_paginator("list_job_runs").paginate(
                        domainIdentifier=DOMAIN, jobIdentifier=JOB,
                        PaginationConfig={"PageSize": page_size}):
                    pages += 1
                    ids.extend(item["runId"] for item in page["items"])
                self.assertEqual(ids, expected)
                self.assertEqual(len(set(ids)), 130)
                self.assertEqual(pages, -(-130 // page_size))

    def test_errors_arrive_over_tls_as_modeled_exceptions(self):
        client = make_client(self.mock.endpoint, verify=self.pki["ca.pem"])
        with self.assertRaises(client.exceptions.ResourceNotFoundException) as caught:
            client.list_job_runs(domainIdentifier="dzd_unknown01", jobIdentifier=JOB)
        error = caught.exception.response
        self.assertEqual(error["ResponseMetadata"]["HTTPStatusCode"], 404)
        self.assertEqual(error["Error"]["Code"], "ResourceNotFoundException")
        self.assertEqual(error["Error"]["Message"], "The specified resource cannot be found.")
        with self.assertRaises(client.exceptions.ValidationException):
            client.list_job_runs(domainIdentifier=DOMAIN, jobIdentifier=JOB, nextToken="garbled")

    def test_a_client_without_the_ca_fails_certificate_verification(self):
        # verify=True: the default trust store, which does not hold the throwaway CA.
        client = make_client(self.mock.endpoint, verify=True)
        with self.assertRaises(botocore.exceptions.SSLError) as caught:
            client.list_job_runs(domainIdentifier=DOMAIN, jobIdentifier=JOB)
        self.assertIn("CERTIFICATE_VERIFY_FAILED", str(caught.exception))

    def test_handshake_is_tls_1_2_or_newer_and_names_127_0_0_1(self):
        port = int(self.mock.endpoint.rsplit(":", 1)[1])
        for maximum in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.MAXIMUM_SUPPORTED):
            with self.subTest(maximum=maximum):
                context = ssl.create_default_context(cafile=self.pki["ca.pem"])
                context.maximum_version = maximum
                connection = http.client.HTTPSConnection("127.0.0.1", port, context=context,
                                                         timeout=30)
                try:
                    connection.request("GET", "/_mock/health")
                    response = connection.getresponse()
                    self.assertEqual(response.status, 200)
                    self.assertEqual(json.loads(response.read())["status"], "ok")
                    version = connection.sock.version()
                    self.assertIn(version, ("TLSv1.2", "TLSv1.3"))
                    if maximum == ssl.TLSVersion.TLSv1_2:
                        self.assertEqual(version, "TLSv1.2")
                finally:
                    connection.close()

    def test_tls_1_1_is_refused_by_the_server(self):
        port = int(self.mock.endpoint.rsplit(":", 1)[1])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # TLSVersion.TLSv1_1 itself
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.load_verify_locations(self.pki["ca.pem"])
            # Security level 0 lets this client offer TLS 1.1, so a refusal comes from the server.
            context.set_ciphers("DEFAULT:@SECLEVEL=0")
            context.minimum_version = ssl.TLSVersion.TLSv1_1
            context.maximum_version = ssl.TLSVersion.TLSv1_1
        with socket.create_connection(("127.0.0.1", port), timeout=30) as raw:
            with self.assertRaises(ssl.SSLError) as caught:
                context.wrap_socket(raw, server_hostname="127.0.0.1")
        # The server's protocol_version alert, not a client that could not offer TLS 1.1.
        self.assertIn("PROTOCOL_VERSION", str(caught.exception))

    def test_plain_http_on_the_tls_port_gets_no_answer(self):
        plain = "http://" + self.mock.endpoint[len("https://"):] + "/_mock/health"
        with self.assertRaises((OSError, http.client.HTTPException)):
            with urllib.request.urlopen(plain, timeout=30) as response:
                response.read()

    def test_the_admin_api_is_served_over_tls_too(self):
        context = ssl.create_default_context(cafile=self.pki["ca.pem"])
        with urllib.request.urlopen(self.mock.endpoint + "/_mock/requests?accessKeyId="
                                    "AKIDCONTRACTTEST", context=context, timeout=30) as response:
            self.assertEqual(response.status, 200)
            self.assertIn("requests", json.loads(response.read()))

    def aws(self, *args):
        # One attempt: a refused certificate is not worth the CLI's retries.
        env = dict(os.environ, AWS_MAX_ATTEMPTS="1", **mock_process.CLIENT_ENV)
        for name in ("AWS_PROFILE", "AWS_CA_BUNDLE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DATAZONE"):
            env.pop(name, None)
        return subprocess.run(
            ["aws", "datazone", "list-job-runs", "--endpoint-url", self.mock.endpoint,
             "--domain-identifier", DOMAIN, "--job-identifier", JOB, "--output", "json", *args],
            capture_output=True, text=True, env=env, timeout=120)

    def test_aws_cli_with_ca_bundle_lists_every_run(self):
        result = self.aws("--ca-bundle", self.pki["ca.pem"], "--page-size", "30")
        self.assertEqual(result.returncode, 0, result.stderr)
        listed = [item["runId"] for item in json.loads(result.stdout)["items"]]
        self.assertEqual(listed, mock_process.expected_run_ids(self.fixture_runs[(DOMAIN, JOB)],
                                                               ascending=False))

    def test_aws_cli_without_ca_bundle_refuses_the_certificate(self):
        result = self.aws("--page-size", "30")
        self.assertNotEqual(result.returncode, 0)
        self.assertEqual(result.stdout, "")
        self.assertIn("CERTIFICATE_VERIFY_FAILED", result.stderr)


if __name__ == "__main__":
    unittest.main()
