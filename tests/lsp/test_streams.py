"""The server's own streams and time are out of a check's reach.

A repository can hold a file symlinked to `/proc/self/fd/0` (the server's protocol input)
and a plan whose check never ends; neither may stop the server answering hover and
shutdown. Real client, real server over stdio.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lsprotocol import types

from lsp.conftest import scripted_client
from lsp.helpers import EXAMPLE, ROOT, RecordingClient, bad_plan, document, open_document


def orders_with_model_linked_to(tmp_path: Path, target: str) -> Path:
    """The orders-cdc example as a repository in tmp, one dbt model file a symlink."""
    folder = tmp_path / "examples" / "orders-cdc"
    shutil.copytree(ROOT / "examples" / "orders-cdc", folder)
    (tmp_path / ".git").mkdir()
    model = folder / "dbt" / "models" / "staging" / "stg_orders.sql"
    model.unlink()
    model.symlink_to(target)
    return folder / "dataplan.yaml"


async def hover_at(client: RecordingClient, path: Path, line: int) -> types.Hover | None:
    return await client.text_document_hover_async(
        types.HoverParams(
            text_document=document(path), position=types.Position(line=line, character=2)
        )
    )


@pytest.mark.asyncio
@pytest.mark.skipif(not Path("/proc/self/fd/0").exists(), reason="needs /proc")
async def test_a_model_linked_to_the_servers_stdin_does_not_steal_its_input(
    client: RecordingClient, tmp_path: Path
) -> None:
    plan = orders_with_model_linked_to(tmp_path, "/proc/self/fd/0")

    found = await open_document(client, plan)

    dbt = [item for item in found if item.code == "DP609"]
    assert len(dbt) == 1, [(item.code, item.message) for item in found]
    assert "stg_orders.sql" in dbt[0].message and "outside the repository" in dbt[0].message
    assert "/proc" not in dbt[0].message
    # still answering: hover, another document, and (in the fixture) shutdown
    assert await hover_at(client, plan, 2) is not None
    assert await open_document(client, bad_plan(tmp_path)) != []


def test_the_protocol_streams_leave_descriptors_0_and_1_harmless() -> None:
    """After the move, fd 0 reads nothing and fd 1 writes to stderr, while the protocol
    streams still carry the client's bytes and the server's replies."""
    code = (
        "import os, sys\n"
        "from dataplan_lint.lsp.server import _protocol_streams\n"
        "protocol_in, protocol_out = _protocol_streams()\n"
        "stolen = os.read(0, 100)\n"
        "os.write(1, b'to stderr')\n"
        "print('also stderr')\n"
        "protocol_out.write(b'reply:' + protocol_in.read(5) + b':' + str(len(stolen)).encode())\n"
        "protocol_out.flush()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], input=b"hello", capture_output=True, timeout=60, check=True
    )
    assert done.stdout == b"reply:hello:0"
    assert b"to stderr" in done.stderr and b"also stderr" in done.stderr


# A server whose check of `slow.dataplan.yaml` never ends (standing in for any check
# that overruns), with a two-second budget.
SLOW_SERVER = (
    "import sys, time\n"
    "from pathlib import Path\n"
    "from dataplan_lint.lsp import linting\n"
    # warm up (imports, rules, schema) before serving, so the budget measures checks only
    f"example = Path({str(EXAMPLE)!r})\n"
    "linting.Linter().check(example.as_uri(), 1, example.read_text(), example)\n"
    "original = linting.Linter.check\n"
    "def check(self, uri, *args):\n"
    "    if uri.endswith('/slow.dataplan.yaml'):\n"
    "        time.sleep(3600)\n"
    "    return original(self, uri, *args)\n"
    "linting.Linter.check = check\n"
    "from dataplan_lint.cli.commands import cli\n"
    "cli(['server', '--check-timeout', '2'])\n"
)


slow_client = scripted_client(SLOW_SERVER, "slow_client")


@pytest.mark.asyncio
async def test_a_check_that_overruns_is_abandoned_with_a_diagnostic(
    slow_client: RecordingClient, tmp_path: Path
) -> None:
    warm = await open_document(slow_client, bad_plan(tmp_path))
    assert "DP011" in {item.code for item in warm}
    slow = bad_plan(tmp_path, "slow.dataplan.yaml")

    found = await open_document(slow_client, slow)

    assert [(item.code, item.range.start.line) for item in found] == [("timeout", 0)]
    assert "did not finish within 2 s" in found[0].message
    # the next check runs on a fresh thread, hover is answered, shutdown (fixture) too
    other = bad_plan(tmp_path, "other.dataplan.yaml")
    assert {item.code for item in await open_document(slow_client, other)} == {
        item.code for item in warm
    }
    assert await hover_at(slow_client, other, 7) is not None
