"""examples/dask_batch.py (issue 16, item 4): the public API on Dask, on the local
scheduler and on a distributed.LocalCluster of processes, gives the CLI's JSON."""

import datetime as dt
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("dask.bag")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "dask_batch.py"
FL = Path(sys.executable).with_name("followup-lint")
TODAY = "2026-03-20"
# A few corpus drafts of every format: .txt, .md and .eml.
DRAFTS = [
    ROOT / "corpus" / n
    for n in (
        "a-01-icu-nurse-thanks.txt",
        "a-03-frontend-dev-thanks.md",
        "a-07-marketing-manager-thanks.eml",
        "a-02-barista-thanks.txt",
        "a-25-event-planner-checkin.eml",
    )
]


@pytest.fixture(scope="module")
def example():
    spec = importlib.util.spec_from_file_location("dask_batch", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    sys.modules["dask_batch"] = module  # so the local scheduler and pickling find it by name
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("dask_batch", None)


@pytest.fixture(scope="module")
def cli_files(tmp_path_factory):
    exe = [str(FL)] if FL.exists() else [sys.executable, "-m", "followup_lint"]
    proc = subprocess.run(
        [*exe, "--format", "json", "--no-cache", "--today", TODAY, *map(str, DRAFTS)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode in (0, 1), proc.stderr
    files = json.loads(proc.stdout)["files"]
    assert [f["path"] for f in files] == [str(p) for p in DRAFTS]
    assert all("error" not in f for f in files)
    assert any(f["findings"] for f in files)  # the comparison is not vacuous
    return files


def same_as_cli(reports, cli_files):
    assert len(reports) == len(cli_files)
    for ours, theirs in zip(reports, cli_files):
        assert ours["path"] == theirs["path"]
        assert ours["score"] == theirs["score"] and ours["verdict"] == theirs["verdict"], ours["path"]
        assert ours["findings"] == theirs["findings"], ours["path"]
        assert ours == theirs  # kind, evidence, notes: the whole dict


def test_dask_local_scheduler_matches_cli(example, cli_files):
    reports = example.lint_paths(DRAFTS, npartitions=2, today=dt.date.fromisoformat(TODAY), scheduler="threads")
    same_as_cli(reports, cli_files)


def test_dask_rendered_document_parses_like_cli(example, cli_files):
    reports = example.lint_paths(DRAFTS[:2], npartitions=1, today=dt.date.fromisoformat(TODAY), scheduler="synchronous")
    doc = json.loads(example.render(reports))
    assert doc["version"] == "1" and doc["tool"]["name"] == "followup-lint"
    same_as_cli(doc["files"], cli_files[:2])


@pytest.mark.slow
def test_dask_distributed_local_cluster_matches_cli(example, cli_files):
    distributed = pytest.importorskip("distributed")
    import dask.bag as db

    bag = db.from_sequence([str(p) for p in DRAFTS], npartitions=2).map_partitions(
        example.lint_partition, today=dt.date.fromisoformat(TODAY)
    )
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        distributed.Client(cluster, timeout=60) as client,
    ):
        client.upload_file(str(EXAMPLE))  # the worker processes import lint_partition by name
        with distributed.get_task_stream(client) as stream:
            reports = client.compute(bag).result(timeout=180)  # a hung worker fails the test, not the suite
        workers = set(client.scheduler_info()["workers"])
    ran_on = {t["worker"] for t in stream.data if "lint_partition" in str(t["key"])}
    assert ran_on and ran_on <= workers, stream.data  # the partitions ran in the cluster's processes
    same_as_cli(reports, cli_files)
