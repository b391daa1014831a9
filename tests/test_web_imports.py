"""The request path never imports the command line: a hub process pays nothing for it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BUILD_THE_APP = """
import json, sys
from graph.database import Graph
from hub.config import Settings
from hub.web.app import create_app

create_app(Graph.connect("bolt://127.0.0.1:9"), settings=Settings())  # no connection yet
print(json.dumps(sorted(sys.modules)))
"""


def modules_loaded_by_the_web_app(env: dict[str, str]) -> set[str]:
    """Every module a fresh interpreter holds after importing the web app and building it
    (this test process has long imported the CLI through other tests)."""
    ran = subprocess.run(
        [sys.executable, "-c", BUILD_THE_APP],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stderr
    loaded = set(json.loads(ran.stdout))
    assert {"hub.web.app", "hub.web.auth", "hub.keys", "schema.api"} <= loaded
    return loaded


def within(loaded: set[str], *packages: str) -> list[str]:
    return sorted(
        name for name in loaded for top in packages if name == top or name.startswith(f"{top}.")
    )


def test_importing_the_web_app_imports_neither_typer_nor_rich(hub_env: dict[str, str]) -> None:
    loaded = modules_loaded_by_the_web_app(hub_env)
    assert within(loaded, "typer", "rich", "click", "hub.cli") == []


def test_a_hub_that_accepts_tokens_still_imports_no_cli_of_ours(hub_env: dict[str, str]) -> None:
    # The issuer's keys are fetched with httpx, and httpx loads its own command line (click and
    # rich) when they are installed: that is httpx's, but typer and our CLI stay out.
    loaded = modules_loaded_by_the_web_app(
        {**hub_env, "CONVENER_OIDC_ISSUER": "https://login.example"}
    )
    assert "hub.web.oidc" in loaded
    assert within(loaded, "typer", "hub.cli") == []
