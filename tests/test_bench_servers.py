"""The bench keeps what the hub logged as errors before its scratch directory is deleted."""

from __future__ import annotations

import json
from pathlib import Path

from bench.servers import logged_errors


def line(level: str, message: str) -> str:
    return json.dumps({"level": level, "logger": "hub.graphql", "message": message})


def test_error_lines_are_kept_once_each_and_at_most_a_few(tmp_path: Path) -> None:
    log = tmp_path / "hub.log"
    timeout = line("error", "ConnectionAcquisitionTimeoutError: no connection in 10.0s")
    lines = [line("info", "POST /graphql 200 error"), timeout, "ERROR: plain text", timeout]
    lines += [line("error", f"failure {n}") for n in range(10)]
    log.write_text("\n".join(lines))
    found = logged_errors(log, most=3)
    assert found == [timeout, "ERROR: plain text", line("error", "failure 0")]
    assert logged_errors(tmp_path / "missing.log") == []
