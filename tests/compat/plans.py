"""Build plan files and git repositories for the compatibility tests, and run the CLI."""

from __future__ import annotations

import copy
import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from ruamel.yaml import YAML

from dataplan_lint.cli.commands import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SCHEMAS = EXAMPLES / "compat" / "schemas"

FINDING = re.compile(
    r"^(?P<path>[^\s:]+):(?P<line>\d+):(?P<col>\d+): (?P<rule>DP\d+) (?P<severity>\w+) "
    r"(?P<message>.*)$"
)


def _yaml() -> YAML:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    yaml.width = 200
    return yaml


def load_example(name: str = "clickstream-sessions") -> Any:
    return _yaml().load((EXAMPLES / name / "dataplan.yaml").read_text(encoding="utf-8"))


def dump(data: Any) -> str:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def write_plan(path: Path, data: Any) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = dump(data)
    path.write_text(text, encoding="utf-8")
    return text


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the `occurrence`-th line containing `needle`."""
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not found")


SCHEMA_CONTRACTS: list[dict[str, Any]] = [
    {
        "name": "checkout_completed",
        "kind": "event",
        "owner": "team-checkout",
        "consumers": ["team-data-platform"],
        "format": "avro",
        "compatibility": "FULL",
        "version": "1.0.0",
        "versioning": "semver",
        "schema_file": "schemas/checkout.avsc",
        "record": "com.example.shop.CheckoutCompleted",
        "deprecation_window": "30d",
        "migration": ["Upgrade readers first.", "Then writers."],
    },
    {
        "name": "payment_authorized",
        "kind": "event",
        "owner": "team-payments",
        "consumers": ["team-data-platform"],
        "format": "json-schema",
        "compatibility": "BACKWARD",
        "version": "1.0.0",
        "versioning": "semver",
        "schema_file": "schemas/payment.schema.json",
        "content_model": "closed",
        "deprecation_window": "30d",
        "migration": ["Upgrade readers first."],
    },
    {
        "name": "shipment_dispatched",
        "kind": "event",
        "owner": "team-shipping",
        "consumers": ["team-data-platform"],
        "format": "protobuf",
        "compatibility": "FULL",
        "version": "1.0.0",
        "versioning": "semver",
        "schema_file": "schemas/shipment.proto",
        "message": "shop.shipping.v1.ShipmentDispatched",
        "deprecation_window": "30d",
        "migration": ["Upgrade readers first."],
    },
]


def plan_with_contract(**contract: Any) -> Any:
    """The clickstream example with one more contract: a complete, owned event contract
    under BACKWARD, with `contract`'s keys (name, format, schema_file, ...)."""
    data = load_example()
    data["contracts"].append(
        {
            "kind": "event",
            "owner": "team-wild",
            "consumers": ["team-data-platform"],
            "compatibility": "BACKWARD",
            "version": "1.0.0",
            "versioning": "semver",
            **contract,
        }
    )
    return data


def schema_plan() -> Any:
    data = load_example()
    data["contracts"] = data["contracts"] + copy.deepcopy(SCHEMA_CONTRACTS)
    return data


@dataclass
class Result:
    exit_code: int
    output: str
    stderr: str

    def findings(self, prefix: str = "DP7") -> list[dict[str, Any]]:
        out = []
        for line in self.output.splitlines():
            match = FINDING.match(line)
            if match and match["rule"].startswith(prefix):
                found: dict[str, Any] = match.groupdict()
                found["line"] = int(found["line"])
                found["col"] = int(found["col"])
                out.append(found)
        return out

    def rules(self) -> list[str]:
        return sorted(f["rule"] for f in self.findings())


def run_cli(cwd: Path, *args: str) -> Result:
    import os

    runner = CliRunner()
    before = Path.cwd()
    os.chdir(cwd)
    try:
        result = runner.invoke(cli, list(args), catch_exceptions=False)
    finally:
        os.chdir(before)
    return Result(result.exit_code, result.stdout, result.stderr)


def json_findings(cwd: Path, *args: str) -> list[dict[str, Any]]:
    """The findings of `check --format json ARGS dataplan.yaml` in `cwd`, full messages."""
    import json

    result = run_cli(cwd, "check", "--format", "json", *args, "dataplan.yaml")
    found: list[dict[str, Any]] = json.loads(result.output)["findings"]
    return found


def check(cwd: Path, *args: str) -> Result:
    return run_cli(cwd, "check", "--no-snippets", "--select", "compatibility", *args)


class Repo:
    """A real git repository in a temporary folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.email", "tests@example.com")
        self.git("config", "user.name", "tests")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=self.root, capture_output=True, text=True, check=True
        )
        return done.stdout

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def copy_schemas(self) -> None:
        shutil.copytree(SCHEMAS, self.root / "schemas", dirs_exist_ok=True)

    def commit(self, message: str = "commit") -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)

    def branch(self, name: str = "feature") -> None:
        self.git("checkout", "-q", "-b", name)

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def schema_repo(root: Path, plan: str = "dataplan.yaml") -> Repo:
    """A repository whose `main` holds the schema-file plan, checked out on a branch."""
    repo = Repo(root)
    repo.copy_schemas()
    write_plan(repo.root / plan, schema_plan())
    repo.commit("base")
    repo.branch()
    return repo
