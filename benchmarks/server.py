"""How fast `dataplan-lint server` answers an editor, request by request.

    .venv/bin/python benchmarks/server.py [--rounds N]

Starts the real server (`python -m dataplan_lint server`) and talks JSON-RPC to it over
its stdin/stdout, the way an editor does, on the `typical-findings` plan of `plans.py`
(a complete plan with four everyday mistakes). Times, with perf_counter, from sending to
receiving:

- start: spawning the server until it answers `initialize` (imports included);
- open: didOpen until the diagnostics arrive;
- change: didChange until the diagnostics arrive, minus the 300 ms debounce the server
  waits on purpose;
- hover on a finding and hover on a key;
- actions: the code action list at a finding;
- fix, fix all: resolving the finding's fix and "fix all" (the ruamel.yaml round trip).

Medians of `--rounds` rounds on one server (start: of `--rounds` servers). Prints a
Markdown table.
"""

from __future__ import annotations

import argparse
import json
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from plans import typical_with_findings  # noqa: E402

DEBOUNCE_MS = 300.0
CAPABILITIES = {
    "textDocument": {
        "codeAction": {
            "dataSupport": True,
            "resolveSupport": {"properties": ["edit"]},
            "codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "source"]}},
        },
        "hover": {"contentFormat": ["markdown"]},
    },
    "workspace": {"workspaceEdit": {"documentChanges": True}},
}


class Server:
    """The server process and a reader thread collecting its messages."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "dataplan_lint", "server"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while line := stream.readline():
            if line.lower().startswith(b"content-length:"):
                size = int(line.split(b":")[1])
                while stream.readline().strip():
                    pass
                self.messages.put(json.loads(stream.read(size)))

    def send(self, method: str, params: Any, request: bool = False) -> int | None:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
        ident = None
        if request:
            self.next_id += 1
            ident = message["id"] = self.next_id
        body = json.dumps(message).encode()
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        stdin.flush()
        return ident

    def request(self, method: str, params: Any) -> Any:
        ident = self.send(method, params, request=True)
        return self.wait(lambda message: message.get("id") == ident)["result"]

    def wait(self, wanted: Any) -> dict[str, Any]:
        while True:
            message = self.messages.get(timeout=60)
            if wanted(message):
                return message

    def notify_and_wait(self, method: str, params: Any, version: int) -> list[dict[str, Any]]:
        """Send a document notification, then wait for that version's diagnostics."""
        self.send(method, params)
        return self.diagnostics(version)

    def diagnostics(self, version: int) -> list[dict[str, Any]]:
        found = self.wait(
            lambda message: (
                message.get("method") == "textDocument/publishDiagnostics"
                and message["params"].get("version") == version
            )
        )
        diagnostics: list[dict[str, Any]] = found["params"]["diagnostics"]
        return diagnostics

    def stop(self) -> None:
        self.request("shutdown", None)
        self.send("exit", None)
        self.process.wait(timeout=30)


def timed(work: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = work()
    return (time.perf_counter() - start) * 1000, result


def start_server() -> tuple[float, Server]:
    start = time.perf_counter()
    server = Server()
    server.request("initialize", {"processId": None, "rootUri": None, "capabilities": CAPABILITIES})
    elapsed = (time.perf_counter() - start) * 1000
    server.send("initialized", {})
    return elapsed, server


def one_round(server: Server, path: Path, text: str, version: int) -> dict[str, float]:
    uri = path.as_uri()
    document = {"uri": uri}
    times: dict[str, float] = {}
    if version == 1:
        item = {"uri": uri, "languageId": "yaml", "version": 1, "text": text}
        method, params = "textDocument/didOpen", {"textDocument": item}
    else:
        changes = [{"text": text}]
        method = "textDocument/didChange"
        params = {"textDocument": {**document, "version": version}, "contentChanges": changes}
    elapsed, found = timed(lambda: server.notify_and_wait(method, params, version))
    if version == 1:
        times["open"] = elapsed
    else:
        times["change"] = elapsed - DEBOUNCE_MS
    finding = next(item for item in found if item["code"] == "DP011")
    key_line = next(n for n, line in enumerate(text.splitlines()) if line.startswith("  status:"))
    for name, position in (
        ("hover on a finding", finding["range"]["start"]),
        ("hover on a key", {"line": key_line, "character": 3}),
    ):
        times[name], _ = timed(
            lambda position=position: server.request(
                "textDocument/hover", {"textDocument": document, "position": position}
            )
        )
    context = {"diagnostics": [finding]}
    times["actions"], actions = timed(
        lambda: server.request(
            "textDocument/codeAction",
            {"textDocument": document, "range": finding["range"], "context": context},
        )
    )
    fix = next(action for action in actions if action["title"].startswith("Fix DP011"))
    fix_all = next(action for action in actions if action["kind"].startswith("source.fixAll"))
    times["fix"], _ = timed(lambda: server.request("codeAction/resolve", fix))
    times["fix all"], _ = timed(lambda: server.request("codeAction/resolve", fix_all))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    text = typical_with_findings()
    starts: list[float] = []
    rounds: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "dataplan.yaml"
        path.write_text(text, encoding="utf-8")
        for _ in range(args.rounds):
            elapsed, server = start_server()
            starts.append(elapsed)
            server.stop()
        _, server = start_server()
        try:
            for version in range(1, args.rounds + 2):
                edited = text if version % 2 else text + "\n"  # a change the check must see
                rounds.append(one_round(server, path, edited, version))
        finally:
            server.stop()
    print("| request | median ms |")
    print("|---|---:|")
    print(f"| start (until initialize is answered) | {statistics.median(starts):.0f} |")
    names = [name for name in rounds[1] if name != "change"]
    print(f"| open (until diagnostics) | {rounds[0]['open']:.0f} |")
    changes = [item["change"] for item in rounds[1:]]
    change = statistics.median(changes)
    print(f"| change (until diagnostics, less the 300 ms debounce) | {change:.0f} |")
    for name in names:
        print(f"| {name} | {statistics.median(item[name] for item in rounds[1:]):.0f} |")


if __name__ == "__main__":
    main()
