"""Gates 3 and 6: the lateness profile against what must wait for late records.

The profile (`p50 <= p99 <= max`) says how long after their event time records still
arrive. Everything that keeps state for late records must outlive that: the dedupe state
its window, a windowed layer's state the window plus the watermark delay and the allowed
lateness, and an incremental layer that folds in late data must re-read as far back as
the latest record it can receive.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import pairwise
from typing import Any

from dataplan_lint.checks.domain import Issue
from dataplan_lint.checks.domain import plan as p

ES = "/event_semantics"
LATENESS = f"{ES}/lateness"
DEDUPE = f"{ES}/duplicates/dedupe"
STREAM_MATERIALIZATIONS = ("stream", "streaming")
WINDOW_WORDS = ("window", "session", "aggregat")


def _fmt(value: float) -> str:
    return p.describe_seconds(value)


def lateness_ordered(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """p50 <= p99 <= max; reported at the lower figure of the pair out of order.

    The figure that overtakes the next is the one written out of line: a median above
    the p99, a p99 above the maximum.
    """
    if p.unreadable(data, *(f"{LATENESS}/{name}" for name in ("p50", "p99", "max"))):
        return
    profile = [
        (name, p.seconds(data, f"{LATENESS}/{name}"), f"{LATENESS}/{name}")
        for name in ("p50", "p99", "max")
    ]
    known = [(name, value, pointer) for name, value, pointer in profile if value is not None]
    for (low_name, low, low_pointer), (high_name, high, high_pointer) in pairwise(known):
        assert low is not None and high is not None
        if high < low:
            yield Issue(
                low_pointer,
                {
                    "high": high_name,
                    "high_value": _fmt(high),
                    "low": low_name,
                    "low_value": _fmt(low),
                },
                related=((high_pointer, f"the {high_name} lateness"),),
            )
            return  # one disorder, one finding


def dedupe_ttl(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """The dedupe state must remember a key for the whole dedupe window."""
    window = p.seconds(data, f"{DEDUPE}/window")
    ttl = p.seconds(data, f"{DEDUPE}/state_ttl")
    if window is not None and ttl is not None and ttl < window:
        yield Issue(
            f"{DEDUPE}/state_ttl",
            {"ttl": _fmt(ttl), "window": _fmt(window)},
            related=((f"{DEDUPE}/window", "the dedupe window"),),
        )


def _window_need(data: Any) -> tuple[float, str, str] | None:
    """The longest state a window needs: (seconds, how it adds up, window pointer)."""
    if p.unreadable(data, f"{ES}/watermark/delay", f"{ES}/allowed_lateness"):
        return None
    delay = p.seconds(data, f"{ES}/watermark/delay") or 0.0
    allowed = p.seconds(data, f"{ES}/allowed_lateness") or 0.0
    best: tuple[float, str, str] | None = None
    for pointer, window in p.items(data, f"{ES}/windows"):
        key = "size"
        length = p.quantity("duration", window.get("size"))
        if length is None and window.get("kind") == "session":
            key, length = "gap", p.quantity("duration", window.get("gap"))
        if length is None:
            if window.get(key) is not None:
                return None  # a malformed length: no need can be computed
            continue
        total = length + delay + allowed
        what = "session length" if window.get("kind") == "session" and key == "size" else key
        text = (
            f"window {window.get('name', '?')} {what} {_fmt(length)} + watermark delay "
            f"{_fmt(delay)} + allowed lateness {_fmt(allowed)}"
        )
        if best is None or total > best[0]:
            best = (total, text, f"{pointer}/{key}")
    return best


def _mentions(layer: Mapping[str, Any], words: tuple[str, ...]) -> bool:
    text = f"{layer.get('name', '')} {layer.get('description', '')}".lower()
    return any(word in text for word in words)


def _windowed_layer(data: Any) -> tuple[str, Mapping[str, Any]] | None:
    """The stateful layer that holds the windows' state.

    Named after a window when one is; otherwise the layer that says it windows or
    aggregates; otherwise the last stateful layer with a TTL that is not the dedupe.
    """
    layers = [
        (pointer, layer)
        for pointer, layer in p.items(data, "/modeling/layers")
        if layer.get("stateful") is True and layer.get("state_ttl") is not None
    ]
    if len(layers) > 1:
        layers = [entry for entry in layers if not _mentions(entry[1], ("dedup",))] or layers
    if not layers:
        return None
    names = [
        str(window.get("name")).lower()
        for _, window in p.items(data, f"{ES}/windows")
        if isinstance(window.get("name"), str)
    ]
    for pointer, layer in layers:
        layer_name = str(layer.get("name", "")).lower()
        if any(name and (name in layer_name or layer_name in name) for name in names):
            return pointer, layer
    for pointer, layer in layers:
        if _mentions(layer, WINDOW_WORDS):
            return pointer, layer
    return layers[-1]


def window_layer_ttl(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """A windowed layer's state TTL covers the window, the watermark delay and the
    allowed lateness: state expired earlier drops the window before its last update."""
    need = _window_need(data)
    found = _windowed_layer(data)
    if need is None or found is None:
        return
    pointer, layer = found
    ttl = p.quantity("duration", layer.get("state_ttl"))
    if ttl is not None and ttl < need[0]:
        yield Issue(
            f"{pointer}/state_ttl",
            {
                "layer": str(layer.get("name", "?")),
                "ttl": _fmt(ttl),
                "need": _fmt(need[0]),
                "parts": need[1],
            },
            related=((need[2], "the window"),),
        )


def _upstream(data: Any, name: str) -> set[str]:
    """Every layer `name` reads from, directly or through other layers."""
    layers = p.layers(data)
    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        entry = layers.get(current)
        if entry is None:
            continue
        for parent in p.strings(entry[1].get("reads_from")):
            if parent not in seen and parent in layers:
                seen.add(parent)
                todo.append(parent)
    return seen


def _behind_windowed_stream(data: Any, name: str) -> bool:
    """The layer reads a stateful stream layer's results: late records reach it only
    within the watermark delay plus the allowed lateness (later ones are cut off)."""
    layers = p.layers(data)
    return any(
        layers[parent][1].get("stateful") is True
        and layers[parent][1].get("materialization") in STREAM_MATERIALIZATIONS
        for parent in _upstream(data, name)
    )


def _lateness_reaching(data: Any, name: str) -> tuple[float, str, str] | None:
    """How late the records reaching layer `name` can be: (seconds, what, pointer)."""
    latest = p.seconds(data, f"{LATENESS}/max")
    if latest is None or p.unreadable(data, f"{ES}/watermark/delay", f"{ES}/allowed_lateness"):
        return None
    action = p.get(data, f"{ES}/late_data_policy/action")
    delay = p.seconds(data, f"{ES}/watermark/delay")
    if action != "reprocess" and delay is not None and _behind_windowed_stream(data, name):
        allowed = p.seconds(data, f"{ES}/allowed_lateness") or 0.0
        cut = delay + allowed
        if cut < latest:
            return (
                cut,
                f"watermark delay + allowed lateness ({_fmt(cut)}) that its stream input "
                "lets through",
                f"{ES}/allowed_lateness",
            )
    return latest, f"maximum lateness ({_fmt(latest)})", f"{LATENESS}/max"


def lookback_covers_lateness(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """An incremental layer that handles late data re-reads at least as far back as the
    latest record it can receive."""
    for pointer, layer in p.items(data, "/modeling/layers"):
        incremental = layer.get("incremental")
        if not isinstance(incremental, Mapping) or "late" not in p.strings(
            incremental.get("handles")
        ):
            continue
        lookback = p.quantity("duration", incremental.get("lookback"))
        name = layer.get("name")
        if lookback is None or not isinstance(name, str):
            continue
        reaching = _lateness_reaching(data, name)
        if reaching is not None and lookback < reaching[0]:
            yield Issue(
                f"{pointer}/incremental/lookback",
                {"layer": name, "lookback": _fmt(lookback), "lateness": reaching[1]},
                related=((reaching[2], "how late records arrive"),),
            )
