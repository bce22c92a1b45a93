#!/usr/bin/env python3
"""Lint many drafts on a Dask cluster with followup-lint's public Python API.

A career service linting every student's drafts does not need any scheduling code of
ours: Dask splits the list of paths into partitions, each partition runs on some worker,
and `lint_partition` below lints it with one `followup_lint.api.Linter` per config (the
spaCy model and the compiled rules load once per partition, not once per draft). Each
report becomes the same dict the CLI prints under "files" with `--format json`.

    pip install followup-lint 'dask[bag]' distributed

    # the local scheduler (threads), 8 partitions:
    python examples/dask_batch.py drafts/ --npartitions 8 > report.json
    # a cluster of processes on this machine:
    python examples/dask_batch.py drafts/ --local-cluster 2
    # an existing cluster:
    python examples/dask_batch.py drafts/ --scheduler tcp://scheduler:8786

Every worker needs followup-lint (and its model) installed, as it needs any library a
task imports. On a distributed cluster, make this file importable by the workers (install
it, or `client.upload_file("dask_batch.py")`) so `lint_partition` is found there.

Choose `npartitions` as a few times the number of worker processes: each partition pays
one model load (about 1-2 s), so a partition should hold tens of drafts or more.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

DRAFT_SUFFIXES = (".txt", ".md", ".eml")


def lint_partition(paths, today=None):
    """Lint one partition of draft paths; return the CLI's JSON dict for each, in order.

    Runs on a worker. The drafts use the config found beside them (as the CLI does), so
    drafts under one config share one Linter; `today` pins the date for the timing rules.
    """
    import followup_lint

    # One call, one session: the model loads once for the whole partition.
    return [report.to_dict() for report in followup_lint.lint_paths(paths, today=today)]


def lint_paths(paths, npartitions: int = 8, today=None, scheduler=None) -> list[dict]:
    """Lint `paths` with Dask; returns one CLI-style JSON dict per path, in input order.
    `scheduler` is passed to dask's compute(): None (the default, or an active
    distributed Client), "threads", "processes", "synchronous"..."""
    import dask.bag as db

    paths = [str(p) for p in paths]
    bag = db.from_sequence(paths, npartitions=max(1, min(npartitions, len(paths))))
    return bag.map_partitions(lint_partition, today=today).compute(scheduler=scheduler)


def find_drafts(targets) -> list[Path]:
    out = []
    for t in map(Path, targets):
        if t.is_dir():
            out += sorted(p for p in t.rglob("*") if p.suffix in DRAFT_SUFFIXES and p.is_file())
        else:
            out.append(t)
    return out


def render(reports) -> str:
    """The whole document `followup-lint --format json` prints."""
    from followup_lint import __version__
    from followup_lint.formats.json import SCHEMA_VERSION

    doc = {"version": SCHEMA_VERSION, "tool": {"name": "followup-lint", "version": __version__}, "files": reports}
    return json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="+", help="draft files or folders")
    ap.add_argument("--npartitions", type=int, default=8)
    ap.add_argument("--scheduler", help="address of a running distributed scheduler (tcp://host:8786)")
    ap.add_argument("--local-cluster", type=int, metavar="N", help="start a LocalCluster of N worker processes")
    ap.add_argument("--today", help="pin today's date (YYYY-MM-DD) for the timing rules")
    args = ap.parse_args(argv)

    import datetime as dt

    today = dt.date.fromisoformat(args.today) if args.today else None
    paths = find_drafts(args.paths)
    if args.scheduler or args.local_cluster:
        from distributed import Client, LocalCluster

        cluster = (
            LocalCluster(n_workers=args.local_cluster, threads_per_worker=1, processes=True)
            if args.local_cluster
            else None
        )
        with Client(cluster or args.scheduler) as client:
            client.upload_file(__file__)  # so the workers can import lint_partition by name
            reports = lint_paths(paths, args.npartitions, today)
        if cluster:
            cluster.close()
    else:
        reports = lint_paths(paths, args.npartitions, today)
    sys.stdout.write(render(reports))
    return 2 if any("error" in r for r in reports) else 0  # 2: a draft could not be read


if __name__ == "__main__":
    sys.exit(main())
