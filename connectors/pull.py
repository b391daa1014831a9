"""One entry point for every connector kind: pull a source, never raise.

Whatever goes wrong with a source (timeout, 500, malformed data, refused auth, even a bug
in a connector) comes back as ``PullResult.failure`` naming the source, so the caller can
carry on with the others.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx

from connectors.collect import Collector
from connectors.feed import pull_feed
from connectors.graphql import pull_graphql
from connectors.http import Fetcher, Sleep
from connectors.ical import pull_ical
from connectors.json_api import pull_json_api
from connectors.partners import PartnerConfig, PartnersFile, Source
from connectors.records import OrganisationRecord
from connectors.registers import pull_register
from connectors.result import PullResult, SourceFailure, SourceState
from connectors.tabular import pull_tabular

log = logging.getLogger(__name__)

Puller = Callable[[Any, Any, SourceState, PullResult, Collector], Awaitable[None]]
PULLERS: dict[str, Puller] = {
    "json_api": pull_json_api,
    "tabular": pull_tabular,
    "feed": pull_feed,
    "graphql": pull_graphql,
    "register": pull_register,
    "ical": pull_ical,
}


def new_client() -> httpx.AsyncClient:
    """One client per sync run, so sources on one server share its connections."""
    return httpx.AsyncClient(follow_redirects=True, limits=httpx.Limits(max_connections=20))


async def pull_source(
    partner: PartnerConfig,
    source: Source,
    state: SourceState | None = None,
    *,
    client: httpx.AsyncClient,
    env: Mapping[str, str] | None = None,
    sleep: Sleep = asyncio.sleep,
) -> PullResult:
    """Pull one source with the incremental ``state`` of its last pull (None: pull it all)."""
    state = state or SourceState()
    result = PullResult(source=source.id)
    owner = {"name": partner.name, **({"ods_code": partner.ods_code} if partner.ods_code else {})}
    fetcher: Fetcher | None = None
    try:
        fetcher = Fetcher(client, source.http, source.auth, env=env, sleep=sleep)
        await PULLERS[source.kind](source, fetcher, state, result, Collector(result, owner))
    except SourceFailure as error:
        _failed(result, state, str(error))
    except Exception as error:  # a connector bug must not take the other sources down
        log.exception("pulling %s failed unexpectedly", source.id)
        _failed(result, state, f"unexpected {type(error).__name__}: {error}")
    if fetcher is not None:
        result.requests = fetcher.requests
        result.notes = fetcher.notes
    return result


def _failed(result: PullResult, state: SourceState, message: str) -> None:
    """A failed pull lists nothing for sure and keeps the old state, to try again next time."""
    result.failure = message
    result.complete = False
    result.not_modified = False
    result.state = state


def partner_records(partners: PartnersFile) -> list[OrganisationRecord]:
    """The partner organisations themselves, for the registry source ``partners``."""
    records = []
    for partner in partners.partners:
        fields = {
            "ref": partner.id,
            "name": partner.name,
            "ods_code": partner.ods_code,
            "sector": partner.sector,
            "org_type": partner.org_type,
            "system": partner.system,
            "website": partner.website,
            "aliases": partner.aliases,
        }
        # Unset fields are left out, not passed as None: records.Url rejects an explicit None.
        values = {key: value for key, value in fields.items() if value is not None}
        records.append(OrganisationRecord.model_validate(values))
    return records
