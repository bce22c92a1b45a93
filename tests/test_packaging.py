"""The built wheel carries the rule pack and the schemas: an installed tool must not
depend on the source checkout."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_contains_rules_and_works_from_site_packages(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(wheels.glob("followup_lint-*.whl"))
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    assert (target / "followup_lint" / "rules" / "pushy.yaml").is_file()
    assert (target / "followup_lint" / "schema" / "rule.schema.json").is_file()
    assert (target / "followup_lint" / "data" / "opinion.json").is_file()  # the learned opinion's weights
    assert (target / "followup_lint" / "data" / "cmudict-syllables.zz").is_file()  # tools/build_syllables.py
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = (
        "import followup_lint.rulefiles.loader as r, json, sys; "
        "import followup_lint.language.readability as s; "
        "print(json.dumps([str(r.builtin_pack_dir()), len(r.builtin_rules()), len(s._packaged_counts() or ())]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True, check=True
    )
    pack_dir, count, syllables = json.loads(out.stdout)
    assert Path(pack_dir).is_relative_to(target) and count >= 11 and syllables > 100_000
