"""`dataplan-lint schema`: the exported schema rejects what the tool rejects, in other tools.

The real check-jsonschema CLI (a dev dependency) validates plans against the exported
document: every malformed quantity that dataplan-lint reports must fail there too, and
the complete examples must pass.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dataplan_lint.cli.commands import cli
from dataplan_lint.core.quantities import KINDS, format_regex, is_valid

ROOT = Path(__file__).resolve().parent.parent
CLICKS = ROOT / "examples" / "clickstream-sessions" / "dataplan.yaml"
ORDERS = ROOT / "examples" / "orders-cdc" / "dataplan.yaml"

# (line as written in the clickstream example, malformed replacement)
MALFORMED = [
    ("    bytes_per_event: 1.2KB", "    bytes_per_event: 1.2 kilobytes"),
    ("    bytes_per_event: 1.2KB", "    bytes_per_event: 1.2kb"),
    ("    peak_ingest: 5.2MB/s", "    peak_ingest: 5.2MB per second"),
    ("    peak_ingest: 5.2MB/s", "    peak_ingest: 5.2MB"),
    ("    retention_storage: 4.1TB", "    retention_storage: 4.1 TB of disk"),
    ("    events_per_day: 500M", "    events_per_day: 500 million"),
    ("    events_per_day: 500M", "    events_per_day: '-500M'"),
]


def _check_jsonschema() -> str:
    found = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("check-jsonschema (a dev dependency) is not installed")
    return found


def test_schema_output_writes_the_document(tmp_path: Path) -> None:
    target = tmp_path / "nested" / "dataplan.schema.json"
    result = CliRunner().invoke(cli, ["schema", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output == ""
    printed = CliRunner().invoke(cli, ["schema"]).output
    assert json.loads(target.read_text()) == json.loads(printed)
    duration = json.loads(printed)["$defs"]["common"]["$defs"]["duration"]
    assert duration["pattern"] == format_regex("duration")
    assert duration["format"] == "dp-duration"
    assert duration["description"].endswith(
        "Accepted units: ns, us, µs, ms, s, sec, m, min, h, hr, d, day, w."
    )


def test_schema_output_that_cannot_be_written_is_an_input_error(tmp_path: Path) -> None:
    """Exit 2 with the same error line as `bundle -o` and `baseline -o` (it was click's
    exit 1 and "Error: ...")."""
    (tmp_path / "plain-file").write_text("x")
    target = tmp_path / "plain-file" / "dataplan.schema.json"
    result = CliRunner().invoke(cli, ["schema", "--output", str(target)])
    assert result.exit_code == 2
    assert result.output.startswith(f"dataplan-lint: error: cannot write {target}: ")


@pytest.mark.parametrize("kind", KINDS)
def test_exported_patterns_agree_with_the_grammar(kind: str) -> None:
    pattern = re.compile(format_regex(kind))
    samples = ["15m", "15 minutes", "1.2KB", "5k/s", "20MB/s", "99.9%", "500M", "1e3s", " 7d "]
    samples += ["-5m", "5mins", "120/min", "3.5TiB", "1.5GB/h", "", "%", "10"]
    for sample in samples:
        assert (pattern.search(sample) is not None) == is_valid(kind, sample), sample


def test_check_jsonschema_rejects_each_malformed_quantity_the_tool_rejects(
    tmp_path: Path,
) -> None:
    tool = _check_jsonschema()
    schema = tmp_path / "dataplan.schema.json"
    CliRunner().invoke(cli, ["schema", "--output", str(schema)])
    text = CLICKS.read_text()
    plans = []
    for number, (line, bad) in enumerate(MALFORMED):
        assert text.count(line + "\n") == 1, line
        plan = tmp_path / f"case{number}.dataplan.yaml"
        plan.write_text(text.replace(line + "\n", bad + "\n"))
        plans.append(plan)
        found = CliRunner().invoke(cli, ["check", "--no-snippets", str(plan)])
        assert re.search(r": DP01[35] (\[\*\] )?error", found.output), (bad, found.output)
    run = subprocess.run(
        [tool, "--schemafile", str(schema), *map(str, plans), str(CLICKS), str(ORDERS)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    failed = set(re.findall(r"(\S+\.dataplan\.yaml)::", run.stdout + run.stderr))
    assert failed == {str(plan) for plan in plans}, run.stdout + run.stderr
