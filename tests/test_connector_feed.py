"""feed: RSS 0.91, 1.0 and 2.0 and Atom from a real HTTP server, into resources."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from connectors.records import ResourceRecord
from tests.partner_web import PartnerWeb, Reply, Request, one_source, pull

RSS2 = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Yarrow Carers Trust: stories</title>
<link>https://yarrow-carers.example</link><description>Stories</description>
<item><title>How carers shaped our &lt;em&gt;discharge&lt;/em&gt; leaflet</title>
<link>https://yarrow-carers.example/stories/discharge-leaflet</link>
<guid>yc-2025-014</guid>
<description>&lt;p&gt;Experience-based co-design with &lt;b&gt;twelve&lt;/b&gt;
carers.&lt;/p&gt;</description>
<category>Discharge</category><category>Carers</category>
<pubDate>Tue, 04 Mar 2025 10:00:00 GMT</pubDate></item>
<item><link>https://yarrow-carers.example/stories/untitled</link><guid>yc-2025-015</guid></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Zedvale Improvement Academy</title>
<id>urn:zia:feed</id><updated>2025-02-01T00:00:00Z</updated>
<entry><title>Driver diagrams in an afternoon</title><id>urn:zia:course:42</id>
<link href="https://zia.example/courses/42"/><updated>2025-02-01T09:30:00Z</updated>
<summary>A half-day workshop.</summary>
<category term="Quality improvement methods"/><category term="Driver diagrams"/></entry>
</feed>"""

RSS1 = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://nv-uni.example/rss"><title>NVU</title>
<link>https://nv-uni.example</link><description>x</description></channel>
<item rdf:about="https://nv-uni.example/papers/7"><title>Frailty scores in primary care</title>
<link>https://nv-uni.example/papers/7</link><dc:subject>Frailty</dc:subject>
<dc:date>2024-12-01</dc:date></item></rdf:RDF>"""

RSS091 = """<?xml version="1.0"?><rss version="0.91"><channel><title>Old</title>
<link>https://old.example</link><description>x</description>
<item><title>Falls toolkit</title><link>https://old.example/falls</link></item>
</channel></rss>"""


@pytest.fixture
def web() -> Iterator[PartnerWeb]:
    with PartnerWeb().running() as server:
        yield server


def feed(web: PartnerWeb, **mapping: Any) -> Any:
    source: dict[str, Any] = {"id": "yc-stories", "kind": "feed", "url": web.url("/feed")}
    if mapping:
        source["mapping"] = {"resource": mapping}
    return one_source(
        source, id="yc", name="Yarrow Carers Trust", sector="voluntary", ods_code=None
    )


async def test_rss2_categories_become_topics_and_html_becomes_text(web: PartnerWeb) -> None:
    web.route("/feed", Reply(body=RSS2, content_type="application/rss+xml"))
    result = await pull(feed(web, defaults={"resource_type": "case_study"}))
    assert result.failure is None and not result.complete  # a feed lists recent entries only
    (story,) = result.records
    assert isinstance(story, ResourceRecord)
    assert story.ref == "yc-2025-014"
    assert story.title == "How carers shaped our discharge leaflet"
    assert story.summary == "Experience-based co-design with twelve carers."
    assert story.topics == ["Discharge", "Carers"]
    assert (story.resource_type, story.published) == ("case_study", date(2025, 3, 4))
    assert story.organisation is not None and story.organisation.name == "Yarrow Carers Trust"
    (error,) = result.errors
    assert (error.location, error.field) == ("entry 2 (ref 'yc-2025-015')", "title")


@pytest.mark.parametrize(
    ("body", "title", "topics"),
    [
        (
            ATOM,
            "Driver diagrams in an afternoon",
            ["Quality improvement methods", "Driver diagrams"],
        ),
        (RSS1, "Frailty scores in primary care", ["Frailty"]),
        (RSS091, "Falls toolkit", []),
    ],
    ids=["atom", "rss1.0", "rss0.91"],
)
async def test_every_feed_flavour(
    web: PartnerWeb, body: str, title: str, topics: list[str]
) -> None:
    web.route("/feed", Reply(body=body, content_type="application/xml"))
    result = await pull(feed(web))
    assert result.failure is None and not result.errors
    (resource,) = result.records
    assert isinstance(resource, ResourceRecord)
    assert (resource.title, resource.topics) == (title, topics)
    assert resource.url is not None


async def test_the_mapping_can_read_feedparser_fields(web: PartnerWeb) -> None:
    web.route("/feed", Reply(body=ATOM, content_type="application/atom+xml"))
    types = {"Quality improvement methods": "training"}
    result = await pull(
        feed(web, fields={"resource_type": {"path": "tags.0.term", "values": types}})
    )
    assert result.records[0].resource_type == "training"  # type: ignore[union-attr]


async def test_a_web_page_instead_of_a_feed(web: PartnerWeb) -> None:
    web.route("/feed", Reply(body="<html><body>Blog</body></html>", content_type="text/html"))
    result = await pull(feed(web))
    assert result.failure == "the feed: answered text/html, not RSS or Atom (is the url right?)"


@pytest.mark.parametrize(
    ("body", "content_type", "failure"),
    [
        ("", "application/rss+xml", "the feed: the answer is empty, not RSS or Atom"),
        (" \n ", "text/xml", "the feed: the answer is empty, not RSS or Atom"),
        (
            "<html><body>Blog</body></html>",
            "application/xml",
            "the feed: the answer is a document but not RSS or Atom (it starts '<html>",
        ),
        (
            '<?xml version="1.0"?><note><to>Tove</to></note>',
            "text/xml",
            "the feed: the answer is a document but not RSS or Atom (it starts '<?xml",
        ),
    ],
)
async def test_an_answer_that_is_no_feed_fails_the_source(
    web: PartnerWeb, body: str, content_type: str, failure: str
) -> None:
    """Served with a feed's content type, yet no feed: the pull fails (nothing is retired and
    the run says why) instead of succeeding with no records."""
    web.route("/feed", Reply(body=body, content_type=content_type))
    result = await pull(feed(web))
    assert result.failure is not None and result.failure.startswith(failure), result.failure
    assert result.records == []


async def test_a_feed_with_no_entries_succeeds_with_a_note(web: PartnerWeb) -> None:
    empty = '<rss version="2.0"><channel><title>Stories</title></channel></rss>'
    web.route("/feed", Reply(body=empty, content_type="application/rss+xml"))
    result = await pull(feed(web))
    assert result.failure is None and result.records == []
    assert result.notes == ["the feed lists no entries: nothing was read"]


async def test_broken_xml_with_nothing_readable(web: PartnerWeb) -> None:
    web.route("/feed", Reply(body="<rss><channel><item><title>Half", content_type="text/xml"))
    result = await pull(feed(web))
    assert result.failure is not None
    assert result.failure.startswith("the feed: not a readable RSS or Atom feed")


async def test_unchanged_feeds_by_etag_and_by_content(web: PartnerWeb) -> None:
    def tagged(request: Request) -> Reply:
        if request.headers.get("if-none-match") == '"f1"':
            return Reply(304, b"")
        return Reply(body=RSS2, content_type="application/rss+xml", headers={"ETag": '"f1"'})

    web.route("/feed", tagged)
    first = await pull(feed(web))
    assert (await pull(feed(web), first.state)).not_modified

    web.route("/feed", Reply(body=RSS2, content_type="application/rss+xml"))  # no ETag
    plain = await pull(feed(web))
    again = await pull(feed(web), plain.state)
    assert again.not_modified and again.records == []
