"""The yaml-language-server modeline of every example plan and of `init` output resolves.

yaml-language-server reads `# yaml-language-server: $schema=PATH` and resolves a
relative PATH against the plan's folder. The example plans point at the exported schema
committed in this repository (`schemas/editor/dataplan.schema.json`, exactly what
`dataplan-lint schema` prints); `init` writes such a file and points the new plan at
it; `init --no-schema-file` points at that committed file at this version's release tag.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from dataplan_lint import __version__
from dataplan_lint.cli.commands import cli
from dataplan_lint.schema.editor import COMMITTED, editor_schema_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
EXPORTED = ROOT / "schemas" / COMMITTED
MODELINE = b"# yaml-language-server: $schema="
PLANS = sorted(
    path
    for path in EXAMPLES.rglob("*.yaml")
    if path.name == "dataplan.yaml" or path.name.endswith(".dataplan.yaml")
)


def modeline(content: bytes) -> str | None:
    for line in content.splitlines()[:3]:
        if line.startswith(MODELINE):
            return line[len(MODELINE) :].decode("ascii")
    return None


def resolve(plan: Path, reference: str) -> Path:
    assert "://" not in reference, f"{plan}: {reference} is not a local path"
    assert not Path(reference).is_absolute(), f"{plan}: {reference} is absolute"
    return (plan.parent / reference).resolve()


def test_the_committed_export_is_current() -> None:
    assert EXPORTED.read_text(encoding="utf-8") == editor_schema_text(), (
        f"run `.venv/bin/python -m dataplan_lint.schema.codegen` to rewrite schemas/{COMMITTED}"
    )
    result = CliRunner().invoke(cli, ["schema"])
    assert result.output == editor_schema_text()


@pytest.mark.parametrize("plan", PLANS, ids=lambda path: path.relative_to(EXAMPLES).as_posix())
def test_example_modeline_resolves_to_the_exported_schema(plan: Path) -> None:
    content = plan.read_bytes()
    reference = modeline(content)
    if not content.strip():
        assert reference is None  # the empty-file example holds nothing at all
        return
    assert reference is not None, f"{plan} has no yaml-language-server modeline"
    assert resolve(plan, reference) == EXPORTED.resolve()


def test_the_exported_schema_works_as_an_editor_would_use_it() -> None:
    """The file the modelines name is a self-contained schema: it validates the clean
    plans and rejects a spelled-out quantity (the pattern) without fetching anything."""
    from ruamel.yaml import YAML

    schema = json.loads(EXPORTED.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    yaml = YAML(typ="safe", pure=True)
    for name in ("clickstream-sessions", "orders-cdc", "ride-trips"):
        plan = yaml.load((EXAMPLES / name / "dataplan.yaml").read_text(encoding="utf-8"))
        assert list(validator.iter_errors(plan)) == []
    bad = yaml.load((EXAMPLES / "invalid" / "bad-quantity.dataplan.yaml").read_text("utf-8"))
    errors = list(validator.iter_errors(bad))
    assert [list(error.path)[-1] for error in errors] == ["delay"]
    refs = _refs(schema)
    assert refs and all(ref.startswith("#/") for ref in refs)  # nothing to fetch


def _refs(node: object) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                found.append(value)
            found += _refs(value)
    elif isinstance(node, list):
        for value in node:
            found += _refs(value)
    return found


def init(cwd: Path, *args: str) -> object:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, ["init", "--one-shot", *args], catch_exceptions=False)
    finally:
        os.chdir(old)


def git_repository(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    return folder


def test_init_in_a_repository_writes_the_schema_at_its_top(tmp_path: Path) -> None:
    repo = git_repository(tmp_path / "repo")
    (repo / "pipelines" / "sessions").mkdir(parents=True)
    result = init(repo / "pipelines", "sessions/")
    assert result.exit_code == 0, result.output
    plan = repo / "pipelines" / "sessions" / "dataplan.yaml"
    reference = modeline(plan.read_bytes())
    assert reference == "../../.dataplan/dataplan.schema.json"
    schema = resolve(plan, reference)
    assert schema == (repo / ".dataplan" / "dataplan.schema.json").resolve()
    assert schema.read_text(encoding="utf-8") == editor_schema_text()
    assert (
        "Wrote ../.dataplan/dataplan.schema.json, the schema its first line points editors at"
        not in result.output  # a path outside the current folder is shown in full
    )
    assert f"Wrote {schema}, the schema its first line points editors at" in result.output
    # A second plan in the same repository reuses (refreshes) the same file.
    second = init(repo, "other.dataplan.yaml")
    assert second.exit_code == 0, second.output
    assert (
        "Wrote .dataplan/dataplan.schema.json, the schema its first line points editors at "
        "(refresh it with `dataplan-lint schema --output .dataplan/dataplan.schema.json`)."
    ) in second.output
    assert modeline((repo / "other.dataplan.yaml").read_bytes()) == (
        "./.dataplan/dataplan.schema.json"
    )


def test_init_outside_a_repository_and_with_schema_file(tmp_path: Path) -> None:
    alone = tmp_path / "alone"
    alone.mkdir()
    assert init(alone, "dataplan.yaml").exit_code == 0
    assert modeline((alone / "dataplan.yaml").read_bytes()) == "./.dataplan/dataplan.schema.json"
    assert (alone / ".dataplan" / "dataplan.schema.json").is_file()

    chosen = tmp_path / "chosen"
    chosen.mkdir()
    result = init(chosen, "plans/", "--schema-file", "editor/plan.schema.json")
    assert result.exit_code == 0, result.output
    plan = chosen / "plans" / "dataplan.yaml"
    assert modeline(plan.read_bytes()) == "../editor/plan.schema.json"
    assert resolve(plan, "../editor/plan.schema.json").read_text() == editor_schema_text()


def test_init_without_a_schema_file_names_the_released_one(tmp_path: Path) -> None:
    result = init(tmp_path, "dataplan.yaml", "--no-schema-file")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / ".dataplan").exists()
    reference = modeline((tmp_path / "dataplan.yaml").read_bytes())
    prefix = "https://raw.githubusercontent.com/dataplan-lint/dataplan-lint/"
    assert reference == f"{prefix}v{__version__}/schemas/{COMMITTED}"
    assert EXPORTED.is_file()  # the path the URL names at the tag exists in this repository


def test_init_refreshes_an_old_export_but_never_replaces_another_file(tmp_path: Path) -> None:
    repo = git_repository(tmp_path / "repo")
    schema = repo / ".dataplan" / "dataplan.schema.json"
    schema.parent.mkdir()
    old = json.loads(editor_schema_text())
    old["description"] = "an export of an older version"
    schema.write_text(json.dumps(old), encoding="utf-8")
    assert init(repo, "a.dataplan.yaml").exit_code == 0
    assert schema.read_text(encoding="utf-8") == editor_schema_text()

    schema.write_text('{"title": "our own schema"}\n', encoding="utf-8")
    refused = init(repo, "b.dataplan.yaml")
    assert refused.exit_code == 2
    assert "is not a schema written by dataplan-lint" in refused.output
    assert schema.read_text(encoding="utf-8") == '{"title": "our own schema"}\n'
    assert not (repo / "b.dataplan.yaml").exists()


def test_init_does_not_follow_a_schema_folder_out_of_the_repository(tmp_path: Path) -> None:
    repo = git_repository(tmp_path / "repo")
    outside = tmp_path / "outside"
    outside.mkdir()
    (repo / ".dataplan").symlink_to(outside, target_is_directory=True)
    result = init(repo, "dataplan.yaml")
    assert result.exit_code == 2
    assert "leads outside" in result.output
    assert list(outside.iterdir()) == []
    assert not (repo / "dataplan.yaml").exists()
