"""Example suite for the datazone_mock pytest plugin.

Every test gets `datazone_mock_caller`: its own access key id on one shared mock, so what it
seeds, activates and calls is seen by no other test, and is reset when the test ends.
"""

import boto3
import botocore.config
import pytest

DEMO = {"domainIdentifier": "dzd_demo01", "jobIdentifier": "nightly-lineage"}  # 130 bundled runs

SEED = {"domains": {"dzd_pytest01": {"jobs": {"etl": {"runs": [
    {"runId": "r1", "status": "SUCCESS", "createdAt": 1754000000},
    {"runId": "r2", "status": "FAILED", "createdAt": 1754003600, "error": {"message": "disk full"}},
]}}}}}


def run_ids(client, **params):
    pages = client.get_paginator("list_job_runs").paginate(**params)
    return [run["runId"] for page in pages for run in page["items"]]


def test_lists_the_bundled_demo_runs(datazone_mock_caller):
    ids = run_ids(datazone_mock_caller.client(), **DEMO)
    assert len(ids) == len(set(ids)) == 130
    assert len(datazone_mock_caller.requests()) == 3  # pages of 50, 50 and 30


def test_seeded_runs_are_seen_by_their_caller_only(datazone_mock_caller):
    datazone_mock_caller.seed(SEED)
    mine = datazone_mock_caller.client()
    assert run_ids(mine, domainIdentifier="dzd_pytest01", jobIdentifier="etl") == ["r2", "r1"]

    someone_else = boto3.client("datazone", endpoint_url=datazone_mock_caller.endpoint,
                                region_name="us-east-1", aws_access_key_id="AKIDSOMEONEELSE0001",
                                aws_secret_access_key="datazone-mock")
    with pytest.raises(someone_else.exceptions.ResourceNotFoundException):
        someone_else.list_job_runs(domainIdentifier="dzd_pytest01", jobIdentifier="etl")


def test_throttling_is_retried_for_this_caller_only(datazone_mock_caller):
    datazone_mock_caller.activate("throttle-then-succeed")

    no_retries = botocore.config.Config(retries={"total_max_attempts": 1})
    bystander = boto3.client("datazone", endpoint_url=datazone_mock_caller.endpoint,
                             region_name="us-east-1", aws_access_key_id="AKIDBYSTANDER000001",
                             aws_secret_access_key="datazone-mock", config=no_retries)
    assert bystander.list_job_runs(**DEMO)["items"]  # not throttled: the scenario is not its own

    standard = botocore.config.Config(retries={"mode": "standard"})
    page = datazone_mock_caller.client(config=standard).list_job_runs(**DEMO)
    assert page["ResponseMetadata"]["RetryAttempts"] == 2
    datazone_mock_caller.assert_called(where={"status": 429}, count=2)
    datazone_mock_caller.assert_called(where={"status": 200}, count=1)


def test_verify_reports_near_misses(datazone_mock_caller):
    datazone_mock_caller.client().list_job_runs(**DEMO)  # one call, answered 200

    answer = datazone_mock_caller.verify(where={"status": 429}, count=1)
    assert answer["ok"] is False and answer["count"] == 0
    assert "status" in answer["nearMisses"][0]["differs"]
    assert answer["nearMisses"][0]["request"]["status"] == 200

    with pytest.raises(AssertionError, match="near misses"):
        datazone_mock_caller.assert_called(where={"status": 429}, count=1)


@pytest.mark.parametrize("repetition", [1, 2])
def test_the_same_seed_in_every_test(datazone_mock_caller, repetition):
    # The same runIds twice in one job would be refused (400): each test starts from a clean slate.
    datazone_mock_caller.seed(SEED)
    client = datazone_mock_caller.client()
    assert run_ids(client, domainIdentifier="dzd_pytest01", jobIdentifier="etl") == ["r2", "r1"]
    assert len(datazone_mock_caller.requests()) == 1
