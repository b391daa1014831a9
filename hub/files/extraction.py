"""Reading an upload's text in a process of its own, bounded in time and in memory.

A parser given a hostile file can run for minutes or swell: a PDF of millions of drawing
operators, a stream that inflates to gigabytes. In a thread of the hub it would hold the
interpreter's lock against every request, and a thread cannot be stopped, only abandoned. A
child process is killed at the deadline, its address space is capped, and the hub's event
loop only waits on a pipe. A few run at once per hub process; uploads beyond that wait their
turn.

The child is this module:
``python -m hub.files.extraction <content type> <path> <memory bytes> <CPU seconds>``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import resource
import sys
from dataclasses import dataclass, field
from pathlib import Path

from hub.files.text import MAX_TEXT, READABLE, extract_text

log = logging.getLogger(__name__)

TIMEOUT = 30.0
"""Seconds a file's text may take; a file whose text takes longer is kept without it."""
MEMORY_BYTES = 1024 * 1024 * 1024
"""The child's address space: enough for the largest upload's honest text, not for a bomb."""
AT_ONCE = 2
"""Children one hub process runs at a time (each may use a core)."""
_CPU_SLACK = 5
"""Seconds of CPU past the deadline after which the child stops itself, should its parent
die before killing it."""
_SOURCE_ROOT = Path(__file__).resolve().parents[2]
"""Where the ``hub`` package is found, so the child imports this very code."""


@dataclass
class TextReader:
    """Reads uploads' text in child processes; one per app (its turns belong to one loop)."""

    timeout: float = TIMEOUT
    memory_bytes: int = MEMORY_BYTES
    at_once: int = AT_ONCE
    turns: asyncio.Semaphore = field(init=False)

    def __post_init__(self) -> None:
        self.turns = asyncio.Semaphore(self.at_once)

    async def read(self, path: Path, content_type: str) -> str:
        """The file's text (at most ``MAX_TEXT`` characters), or "" when it has none we can
        read within the bounds."""
        if content_type not in READABLE:
            return ""
        async with self.turns:
            return await self._run(path, content_type)

    async def _run(self, path: Path, content_type: str) -> str:
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            __name__,
            content_type,
            str(path),
            str(self.memory_bytes),
            str(int(self.timeout) + _CPU_SLACK),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=child_environment(),
        )
        try:
            out, err = await asyncio.wait_for(child.communicate(), self.timeout)
        except TimeoutError:
            child.kill()
            await child.wait()
            log.warning("no text from an uploaded %s within %g s", content_type, self.timeout)
            return ""
        if child.returncode != 0:
            lines = err.decode("utf-8", "replace").strip().splitlines() or ["no message"]
            log.warning(
                "no text from an uploaded %s: its reader exited with %s (%s)",
                content_type,
                child.returncode,
                lines[-1],
            )
            return ""
        return out.decode("utf-8", "replace")[:MAX_TEXT]


def child_environment() -> dict[str, str]:
    """What the child needs to find this code, and nothing of the hub's settings: it reads
    a stranger's file, so it is not handed the database's or the sign-in's secrets."""
    python_path = [str(_SOURCE_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {
        "PATH": os.environ.get("PATH", os.defpath),
        "PYTHONPATH": os.pathsep.join(python_path),
        "LC_ALL": "C.UTF-8",
    }


def main(arguments: list[str]) -> None:
    """The child: cap memory and CPU, read the text, write it to standard output."""
    content_type, path, memory_bytes, cpu_seconds = arguments
    resource.setrlimit(resource.RLIMIT_AS, (int(memory_bytes), int(memory_bytes)))
    resource.setrlimit(resource.RLIMIT_CPU, (int(cpu_seconds), int(cpu_seconds)))
    sys.stdout.buffer.write(extract_text(Path(path), content_type).encode("utf-8"))


if __name__ == "__main__":
    main(sys.argv[1:])
