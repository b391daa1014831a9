"""docker-compose.yml and the Dockerfile agree with what the hub really reads.

Docker cannot run on our machines, so this checks the structure instead of starting it.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from hub.config import Settings

ROOT = Path(__file__).resolve().parent.parent


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_neo4j_service_is_5_26_community_with_volume_auth_and_healthcheck() -> None:
    neo4j = compose()["services"]["neo4j"]
    assert neo4j["image"].startswith("neo4j:5.26") and neo4j["image"].endswith("community")
    assert any(volume.endswith(":/data") for volume in neo4j["volumes"])
    assert "${NEO4J_PASSWORD" in neo4j["environment"]["NEO4J_AUTH"]
    assert neo4j["healthcheck"]["test"]


def test_hub_reads_every_variable_compose_gives_it() -> None:
    hub = compose()["services"]["hub"]
    settings_variables = {f"CONVENER_{name.upper()}" for name in Settings.model_fields}
    given = set(hub["environment"])
    assert given <= settings_variables, f"unknown to the hub: {given - settings_variables}"
    for required in ("CONVENER_NEO4J_URI", "CONVENER_NEO4J_USER", "CONVENER_NEO4J_PASSWORD"):
        assert required in given
    assert hub["environment"]["CONVENER_NEO4J_URI"] == "bolt://neo4j:7687"
    assert "${NEO4J_PASSWORD" in hub["environment"]["CONVENER_NEO4J_PASSWORD"]
    assert hub["depends_on"]["neo4j"]["condition"] == "service_healthy"


def test_hub_is_built_from_the_dockerfile_that_serves_it() -> None:
    hub = compose()["services"]["hub"]
    assert hub["build"] == "."
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["convener", "serve"]' in dockerfile
    for package in ("hub", "schema", "connectors", "graph"):
        assert f"COPY {package} ./{package}" in dockerfile
    # Dependencies as locked and tested (tests/test_wheel.py installs the same way).
    assert "pip install --no-cache-dir --require-hashes -r requirements.lock" in dockerfile
    assert "pip install --no-cache-dir --no-deps ." in dockerfile
    # The explorer's static files are found beside the working directory in the image.
    assert "COPY explorer/public ./explorer/public" in dockerfile
    assert (ROOT / "explorer" / "public" / "index.html").is_file()


def test_the_scheduler_runs_convener_schedule_on_the_same_graph() -> None:
    services = compose()["services"]
    scheduler = services["scheduler"]
    assert scheduler["build"] == "."
    assert scheduler["command"][:2] == ["convener", "schedule"]
    config = scheduler["command"][scheduler["command"].index("--config") + 1]
    assert any(volume.split(":")[1] == config for volume in scheduler["volumes"])
    settings_variables = {f"CONVENER_{name.upper()}" for name in Settings.model_fields}
    assert set(scheduler["environment"]) <= settings_variables
    for name in ("CONVENER_NEO4J_URI", "CONVENER_NEO4J_USER", "CONVENER_NEO4J_DATABASE"):
        assert scheduler["environment"][name] == services["hub"]["environment"][name]
