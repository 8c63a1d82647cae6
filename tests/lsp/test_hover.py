"""Hover: a finding's explanation, a key's schema description."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from lsp.helpers import RecordingClient, bad_plan, document, open_document

pytestmark = pytest.mark.asyncio


async def hover_at(
    client: RecordingClient, path: Path, line: int, character: int
) -> types.Hover | None:
    return await client.text_document_hover_async(
        types.HoverParams(
            text_document=document(path),
            position=types.Position(line=line, character=character),
        )
    )


def markdown(found: types.Hover | None) -> str:
    assert found is not None and isinstance(found.contents, types.MarkupContent)
    assert found.contents.kind == types.MarkupKind.Markdown
    return found.contents.value


def place(found: types.Hover | None) -> tuple[int, int, int, int]:
    assert found is not None and found.range is not None
    start, end = found.range.start, found.range.end
    return (start.line, start.character, end.line, end.character)


async def test_hover_on_a_finding_explains_its_rule(
    client: RecordingClient, tmp_path: Path
) -> None:
    path = bad_plan(tmp_path)
    await open_document(client, path)

    found = await hover_at(client, path, 7, 3)  # inside `ownr`

    assert place(found) == (7, 2, 7, 6)
    text = markdown(found)
    assert text.startswith(
        "**DP011** `unknown-key` · error: unknown key 'ownr' in \\`metadata\\` "
        "(did you mean \\`owner\\`?)\n\n"
        "Quick fix available (a safe fix): rename \\`ownr\\` to \\`owner\\`.\n\n"
        "*A key the schema does not define (often a typo).*"
    )
    assert text.endswith(
        "[DP011 reference](https://github.com/dataplan-lint/dataplan-lint/blob/main/"
        "references/plan-format.md#unknown-key)"
    )


async def test_hover_on_a_rule_finding_shows_the_failing_and_fixed_examples(
    client: RecordingClient, tmp_path: Path
) -> None:
    path = bad_plan(tmp_path)
    text = path.read_text(encoding="utf-8").replace("delay: 15 minutes", "delay: 15m")
    await open_document(client, path, text)

    found = markdown(await hover_at(client, path, 114, 12))

    assert found.startswith("**DP301** `watermark-exceeds-freshness-slo` · error: ")
    assert "The waits built into the design" in found
    assert (
        "**Failing example**\n\n```yaml\nevent_semantics:\n  watermark:\n    delay: 6m\n```"
        in found
    )
    assert "**Fixed example**\n\n```yaml\n" in found


async def test_hover_on_a_key_gives_its_schema_description_and_units(
    client: RecordingClient, tmp_path: Path
) -> None:
    path = bad_plan(tmp_path)
    await open_document(client, path)

    delay = await hover_at(client, path, 114, 6)  # the key `delay`
    strategy = await hover_at(client, path, 113, 5)  # the key `strategy` above it

    assert place(delay) == (114, 4, 114, 9)
    assert markdown(delay) == (
        "**event\\_semantics.watermark.delay**\n\n"
        "How far the watermark trails the newest event time; for incremental batch loads, "
        "the high-water-mark lag.\n\n"
        "A length of time: a number followed by ms, s, m (minutes), h, d or w, for example "
        "`250ms`, `15s`, `5m`, `2h`, `7d`, `1w`. Accepted units: ns, us, µs, ms, s, sec, m, "
        "min, h, hr, d, day, w.\n\n"
        "type: string · for example: `250ms`, `15s`, `5m`, `2h`, `7d`, `1w`"
    )
    assert "allowed: `fixed-lag`, `adaptive`, `punctuated`" in markdown(strategy)


async def test_no_hover_where_there_is_nothing_to_say(
    client: RecordingClient, tmp_path: Path
) -> None:
    path = bad_plan(tmp_path)
    await open_document(client, path)
    other = tmp_path / "values.yaml"
    await open_document(client, other, "delay: 15 minutes\n")

    assert await hover_at(client, path, 0, 3) is None  # a comment
    assert await hover_at(client, path, 4, 0) is None  # a blank line
    assert await hover_at(client, other, 0, 1) is None  # not a plan
