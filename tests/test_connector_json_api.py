"""json_api against a real HTTP server on 127.0.0.1 that paginates, and misbehaves."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from connectors.records import ProjectRecord
from connectors.result import SourceState
from tests.partner_web import PartnerWeb, Reply, Request, one_source, pull

PROJECTS = [
    {
        "id": f"P{n}",
        "attributes": {"name": f"Falls huddles on ward {n}", "state": "Live"},
        "tags": [{"label": "falls"}, {"label": "frailty"}],
        "modified": f"2025-03-{n:02d}T09:00:00Z",
    }
    for n in range(1, 8)
]
FIELDS = {
    "ref": "id",
    "title": "attributes.name",
    "status": {"path": "attributes.state", "values": {"Live": "active"}},
    "topics": {"path": "tags", "each": "label"},
    "updated_at": "modified",
}


@pytest.fixture
def web() -> Iterator[PartnerWeb]:
    with PartnerWeb().running() as server:
        yield server


def api(web: PartnerWeb, stream: dict[str, Any], **source: Any) -> Any:
    return one_source(
        {
            "id": "zv-projects",
            "kind": "json_api",
            "url": web.url("/api/projects"),
            "entities": ["project"],
            "mapping": {"project": {"fields": FIELDS, **stream}},
            **source,
        }
    )


def paged(request: Request) -> Reply:
    page, size = int(request.query.get("page", 1)), int(request.query.get("per_page", 3))
    return Reply(body={"data": PROJECTS[(page - 1) * size : page * size]})


async def test_page_numbers_dotted_paths_and_the_partner_as_lead(web: PartnerWeb) -> None:
    web.route("/api/projects", paged)
    result = await pull(api(web, {"items": "data", "pagination": {"style": "page", "size": 3}}))
    assert result.failure is None and result.complete and not result.errors
    assert [r.ref for r in result.records] == [p["id"] for p in PROJECTS]
    first = result.records[0]
    assert isinstance(first, ProjectRecord)
    assert (first.title, first.status, first.topics) == (
        "Falls huddles on ward 1",
        "active",
        ["falls", "frailty"],
    )
    assert first.lead_organisation is not None and first.lead_organisation.ods_code == "ZZV01"
    assert [r.query["page"] for r in web.log] == ["1", "2", "3"]  # 3 + 3 + 1: short page stops


async def test_offset_with_a_total(web: PartnerWeb) -> None:
    def offset(request: Request) -> Reply:
        start, limit = int(request.query["offset"]), int(request.query["limit"])
        return Reply(body={"results": PROJECTS[start : start + limit], "count": len(PROJECTS)})

    web.route("/api/projects", offset)
    stream = {"items": "results", "pagination": {"style": "offset", "limit": 7, "total": "count"}}
    result = await pull(api(web, stream))
    assert len(result.records) == 7 and len(web.log) == 1  # the total says there is no more


async def test_cursor_in_the_body(web: PartnerWeb) -> None:
    def cursor(request: Request) -> Reply:
        start = int(request.query.get("after", 0))
        following = start + 4 if start + 4 < len(PROJECTS) else None
        return Reply(body={"items": PROJECTS[start : start + 4], "meta": {"next": following}})

    web.route("/api/projects", cursor)
    stream = {
        "items": "items",
        "pagination": {"style": "cursor", "cursor": "meta.next", "cursor_param": "after"},
    }
    result = await pull(api(web, stream))
    assert len(result.records) == 7 and result.complete
    assert [r.query.get("after") for r in web.log] == [None, "4"]


async def test_relative_next_links_and_link_headers(web: PartnerWeb) -> None:
    def linked(request: Request) -> Reply:
        page = int(request.query.get("p", 1))
        more = page * 3 < len(PROJECTS)
        return Reply(
            body={"data": PROJECTS[(page - 1) * 3 : page * 3], "next": f"?p={page + 1}" * more},
            headers={"Link": f'<{web.url("/api/projects")}?p={page + 1}>; rel="next"'}
            if more
            else {},
        )

    web.route("/api/projects", linked)
    by_body = await pull(
        api(web, {"items": "data", "pagination": {"style": "next_link", "next": "next"}})
    )
    by_header = await pull(api(web, {"items": "data", "pagination": {"style": "link_header"}}))
    assert len(by_body.records) == len(by_header.records) == 7
    assert by_body.complete and by_header.complete


async def test_a_record_missing_its_title_is_rejected_alone_with_its_place(web: PartnerWeb) -> None:
    broken = [*PROJECTS[:2], {"id": "P99", "attributes": {"state": "Live"}}]
    web.route("/api/projects", Reply(body={"data": broken}))
    result = await pull(api(web, {"items": "data"}))
    assert [r.ref for r in result.records] == ["P1", "P2"]
    (error,) = result.errors
    assert (error.source, error.field) == ("zv-projects", "title")
    assert error.location == "project page 1, item 3 (ref 'P99')"
    assert result.failure is None and result.complete


async def test_a_500_is_retried_then_succeeds(web: PartnerWeb) -> None:
    answers = iter([Reply(500, {"error": "db"}), Reply(503, b""), Reply(body={"data": PROJECTS})])
    web.route("/api/projects", lambda _r: next(answers))
    result = await pull(api(web, {"items": "data"}))
    assert result.failure is None and len(result.records) == 7
    assert result.requests == 3
    assert "answered 500 Internal Server Error" in result.notes[0]


async def test_a_server_that_keeps_failing_fails_the_source_with_a_clear_message(
    web: PartnerWeb,
) -> None:
    web.route("/api/projects", Reply(500, {"error": "db"}))
    result = await pull(api(web, {"items": "data"}))
    assert result.failure == "project page 1: answered 500 Internal Server Error (3 attempts)"
    assert not result.complete and result.records == []


async def test_429_waits_as_long_as_retry_after_says(web: PartnerWeb) -> None:
    answers = iter([Reply(429, b"", headers={"Retry-After": "1"}), Reply(body={"data": PROJECTS})])
    web.route("/api/projects", lambda _r: next(answers))
    result = await pull(api(web, {"items": "data"}))
    assert result.failure is None and len(result.records) == 7
    assert result.notes == ["project page 1: answered 429 Too Many Requests; retrying in 1.00 s"]


async def test_a_retry_after_beyond_the_cap_fails_instead_of_hanging(web: PartnerWeb) -> None:
    web.route("/api/projects", Reply(429, b"", headers={"Retry-After": "3600"}))
    result = await pull(api(web, {"items": "data"}))
    assert result.failure is not None and "asked us to wait 3600 s" in result.failure
    assert result.requests == 1


async def test_a_timeout_fails_the_source_after_its_retries(web: PartnerWeb) -> None:
    web.route("/api/projects", Reply(body={"data": PROJECTS}, delay=1.0))
    source = api(web, {"items": "data"}, http={"timeout": 0.2, "retries": 1, "backoff": 0.01})
    result = await pull(source)
    assert result.failure == "project page 1: timed out after 0.2 s (2 attempts)"


async def test_truncated_json_on_page_two_keeps_page_one_but_fails(web: PartnerWeb) -> None:
    def truncated(request: Request) -> Reply:
        if request.query["page"] == "1":
            return Reply(body={"data": PROJECTS[:3]})
        return Reply(body=b'{"data": [{"id": "P4", "attributes": {"na')

    web.route("/api/projects", truncated)
    result = await pull(api(web, {"items": "data", "pagination": {"style": "page", "size": 3}}))
    assert result.failure is not None
    assert result.failure.startswith("project page 2: malformed JSON")
    assert [r.ref for r in result.records] == ["P1", "P2", "P3"] and not result.complete


async def test_html_instead_of_json_names_the_content_type(web: PartnerWeb) -> None:
    web.route("/api/projects", Reply(body="<html>Sign in</html>", content_type="text/html"))
    result = await pull(api(web, {"items": "data"}))
    assert result.failure == "project page 1: answered text/html, not JSON (is the url right?)"


async def test_a_list_where_the_items_should_be_is_checked(web: PartnerWeb) -> None:
    web.route("/api/projects", Reply(body={"data": {"P1": PROJECTS[0]}}))
    result = await pull(api(web, {"items": "data"}))
    assert result.failure == "project page 1: expected a list of items at 'data', found dict"


async def test_a_next_link_that_loops_back_fails_instead_of_spinning(web: PartnerWeb) -> None:
    def loop(request: Request) -> Reply:
        page = int(request.query.get("p", 1))
        return Reply(body={"data": [PROJECTS[page]], "next": f"?p={2 if page == 1 else 1}"})

    web.route("/api/projects", loop)
    result = await pull(
        api(web, {"items": "data", "pagination": {"style": "next_link", "next": "next"}})
    )
    assert result.failure is not None and "pagination loops back" in result.failure
    assert len(web.log) == 3


async def test_a_server_ignoring_the_page_number_is_caught(web: PartnerWeb) -> None:
    web.route("/api/projects", Reply(body={"data": PROJECTS[:3]}))
    result = await pull(api(web, {"items": "data", "pagination": {"style": "page", "size": 3}}))
    assert (
        result.failure == "project page 2: the server sent the same page again (pagination loops)"
    )


async def test_bearer_auth_from_the_environment_and_a_refusal(web: PartnerWeb) -> None:
    def guarded(request: Request) -> Reply:
        if request.headers.get("authorization") != "Bearer s3cret":
            return Reply(401, {"error": "unauthorised"})
        return Reply(body={"data": PROJECTS})

    web.route("/api/projects", guarded)
    source = api(web, {"items": "data"}, auth={"type": "bearer", "token_env": "ZV_TOKEN"})
    assert len((await pull(source, env={"ZV_TOKEN": "s3cret"})).records) == 7
    refused = await pull(source, env={"ZV_TOKEN": "wrong"})
    assert refused.failure == (
        "project page 1: answered 401 Unauthorized: access refused; check the credentials in "
        "$ZV_TOKEN"
    )
    assert refused.requests == 1  # a refusal is not retried
    unset = await pull(source, env={})
    assert unset.failure == "environment variable ZV_TOKEN (for bearer auth) is not set"
    assert unset.requests == 0


async def test_api_key_header(web: PartnerWeb) -> None:
    web.route("/api/projects", Reply(body={"data": PROJECTS}))
    source = api(
        web, {"items": "data"}, auth={"type": "api_key", "header": "X-Key", "key_env": "ZV_KEY"}
    )
    await pull(source, env={"ZV_KEY": "k1"})
    assert web.log[0].headers["x-key"] == "k1"


async def test_a_server_that_is_not_there(web: PartnerWeb) -> None:
    source = one_source(
        {
            "id": "zv-gone",
            "kind": "json_api",
            "url": "http://127.0.0.1:9/api",
            "entities": ["project"],
            "mapping": {"project": {"fields": FIELDS}},
        }
    )
    result = await pull(source)
    assert result.failure is not None and "could not be reached (ConnectError" in result.failure


async def test_etag_makes_an_unchanged_second_pull_one_conditional_request(
    web: PartnerWeb,
) -> None:
    def tagged(request: Request) -> Reply:
        if request.headers.get("if-none-match") == '"v1"':
            return Reply(304, b"")
        return Reply(body={"data": PROJECTS}, headers={"ETag": '"v1"'})

    web.route("/api/projects", tagged)
    source = api(web, {"items": "data"})
    first = await pull(source)
    assert first.state.etags() == {"project": '"v1"'}
    second = await pull(source, first.state)
    assert second.not_modified and second.records == [] and second.requests == 1
    assert second.state == first.state


async def test_a_bookmark_asks_only_for_what_changed(web: PartnerWeb) -> None:
    def changed(request: Request) -> Reply:
        since = request.query.get("changed_after")
        rows = [p for p in PROJECTS if since is None or p["modified"] > since]
        return Reply(body={"data": rows})

    web.route("/api/projects", changed)
    source = api(web, {"items": "data", "incremental": {"param": "changed_after"}})
    first = await pull(source)
    assert first.complete and first.state.bookmark == "2025-03-07T09:00:00Z"
    second = await pull(source, first.state)
    assert web.log[-1].query["changed_after"] == "2025-03-07T09:00:00Z"
    assert second.records == [] and not second.complete  # an incremental pull retires nothing
    assert second.state.bookmark == first.state.bookmark


async def test_several_entities_from_one_api(web: PartnerWeb) -> None:
    web.route("/api/projects", Reply(body={"data": PROJECTS[:2]}))
    web.route("/api/people", Reply(body=[{"key": 7, "full_name": "Ada Okonjo"}]))
    source = one_source(
        {
            "id": "zv-api",
            "kind": "json_api",
            "url": web.url("/api"),
            "entities": ["project", "person"],
            "mapping": {
                "project": {"path": "projects", "items": "data", "fields": FIELDS},
                "person": {"path": "people", "fields": {"ref": "key", "name": "full_name"}},
            },
        }
    )
    result = await pull(source)
    assert sorted(r.kind for r in result.records) == ["person", "project", "project"]
    person = next(r for r in result.records if r.kind == "person")
    assert person.ref == "7"  # numeric ids become text


async def test_an_unknown_state_is_ignored(web: PartnerWeb) -> None:
    web.route("/api/projects", Reply(body={"data": PROJECTS}))
    result = await pull(api(web, {"items": "data"}), SourceState(etag="not json"))
    assert len(result.records) == 7
