"""The partners file: systems, partner organisations and the sources each one publishes.

Validated once at load time, so a typo is reported with the file, the entry and the field
before any source is pulled. Secrets never live here: auth names environment variables.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from connectors.config_keys import did_you_mean, model_at, record_field_problem
from connectors.config_text import Loc, line_of, load_yaml, yaml_problem
from connectors.enums import Sector
from connectors.mapping import FieldMap
from connectors.records import ODS_CODE, check_time_zone

EntityKind = Literal["organisation", "person", "project", "resource"]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,79}$")]
EnvName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
HttpUrl = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
Origin = Annotated[str, StringConstraints(pattern=r"^https?://[^/\s]+$")]

REGISTRY_SOURCE = "partners"  # the source through which partner organisations are ingested
_ENV_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_INTERVAL = re.compile(r"^\s*(\d+)\s*(s|m|h|d)\s*$")
_INTERVAL_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BearerAuth(_Strict):
    """``Authorization: Bearer <token>``, the token read from ``token_env`` at pull time."""

    type: Literal["bearer"]
    token_env: EnvName


class ApiKeyAuth(_Strict):
    """A key sent in a header (``X-API-Key`` unless told), read from ``key_env`` at pull time."""

    type: Literal["api_key"]
    header: str = "X-API-Key"
    key_env: EnvName


Auth = Annotated[BearerAuth | ApiKeyAuth, Field(discriminator="type")]


class HttpOptions(_Strict):
    """How patiently to talk to a partner's server."""

    timeout: float = Field(default=30.0, gt=0, description="seconds per request")
    retries: int = Field(default=3, ge=0, le=10, description="retries after the first attempt")
    backoff: float = Field(default=0.5, ge=0, description="first retry delay, doubling each time")
    backoff_max: float = Field(default=30.0, ge=0)
    retry_after_max: float = Field(default=120.0, ge=0, description="cap on a Retry-After wait")
    max_pages: int = Field(default=1000, ge=1, description="stop a runaway pagination")


# --- json_api ------------------------------------------------------------------------------


class NoPagination(_Strict):
    style: Literal["none"] = "none"


class PagePagination(_Strict):
    """``?page=1&per_page=100``; stops at an empty or short page, or at ``total_pages``."""

    style: Literal["page"]
    page_param: str = "page"
    first_page: int = 1
    size_param: str | None = "per_page"
    size: int = Field(default=100, ge=1)
    total_pages: str | None = None


class OffsetPagination(_Strict):
    """``?offset=0&limit=100``; stops at an empty or short page, or once ``total`` is read."""

    style: Literal["offset"]
    offset_param: str = "offset"
    limit_param: str = "limit"
    limit: int = Field(default=100, ge=1)
    total: str | None = None


class CursorPagination(_Strict):
    """The body says where to carry on (``cursor`` path); sent back as ``cursor_param``."""

    style: Literal["cursor"]
    cursor: str = "next_cursor"
    cursor_param: str = "cursor"


class NextLinkPagination(_Strict):
    """The body holds the next page's URL at ``next`` (relative URLs are resolved)."""

    style: Literal["next_link"]
    next: str = "links.next"


class LinkHeaderPagination(_Strict):
    """The ``Link: <...>; rel="next"`` response header points at the next page."""

    style: Literal["link_header"]


Pagination = Annotated[
    NoPagination
    | PagePagination
    | OffsetPagination
    | CursorPagination
    | NextLinkPagination
    | LinkHeaderPagination,
    Field(discriminator="style"),
]


class Incremental(_Strict):
    """Ask only for what changed since the last pull: ``?updated_since=<bookmark>``.

    The bookmark is the latest ``updated_at`` the previous pull saw, so map that field.
    """

    param: str = "updated_since"


class JsonApiStream(FieldMap):
    """One entity from a JSON API: where its items are and how its pages follow each other."""

    path: str | None = Field(default=None, description="appended to the source URL")
    items: str = Field(default="", description="dotted path to the item list; '' = the body")
    params: dict[str, str] = Field(default_factory=dict)
    pagination: Pagination = Field(default_factory=NoPagination)
    incremental: Incremental | None = None


# --- tabular, feed, graphql -----------------------------------------------------------------


class TabularStream(FieldMap):
    """One entity from a register: a CSV file, or one sheet of a workbook."""

    sheet: str | None = Field(default=None, description="workbook sheet; the first if not given")
    header_row: int = Field(default=1, ge=1)


class FeedStream(FieldMap):
    """Overrides for the standard feed mapping (title, link, summary, dates, categories)."""


class IcalStream(FieldMap):
    """Overrides for the standard calendar mapping (times, summary, location, categories...)."""


class IcalExpand(_Strict):
    """How far recurring events are expanded around the day of the pull, and how many
    occurrences of one series are listed at most."""

    past_days: int = Field(default=7, ge=0, le=366)
    future_days: int = Field(default=365, ge=1, le=1096)
    max_occurrences: int = Field(default=200, ge=1, le=1000)


class GraphQLIncremental(_Strict):
    """Pass the bookmark (the latest ``updated_at`` seen) as this query variable."""

    variable: str = "updatedSince"


class GraphQLStream(FieldMap):
    """A query taking ``$first`` and ``$after``, and where its connection is in ``data``.

    The connection is a Relay one: ``edges { node }`` or ``nodes``, and
    ``pageInfo { hasNextPage endCursor }``.
    """

    query: str = Field(min_length=1)
    connection: str = Field(min_length=1, description="dotted path in data, e.g. projects")
    page_size: int = Field(default=50, ge=1, le=500)
    variables: dict[str, Any] = Field(default_factory=dict)
    incremental: GraphQLIncremental | None = None


# --- sources --------------------------------------------------------------------------------


class _Source(_Strict):
    id: Slug
    entities: list[EntityKind] = Field(min_length=1)
    auth: Auth | None = None
    enabled: bool = True
    interval: timedelta = timedelta(hours=24)
    full_interval: timedelta = timedelta(days=7)
    """How often a scheduler ignores bookmarks and ETags: only a full pull sees removals."""
    http: HttpOptions = Field(default_factory=HttpOptions)
    name: str | None = None

    @field_validator("interval", "full_interval", mode="before")
    @classmethod
    def _interval(cls, value: Any) -> Any:
        if isinstance(value, str) and (match := _INTERVAL.match(value)):
            return timedelta(**{_INTERVAL_UNITS[match[2]]: int(match[1])})
        if isinstance(value, str):
            raise ValueError(f"not an interval: {value!r} (use 30m, 6h or 1d)")
        return value

    @field_validator("entities")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("an entity is listed twice")
        return value

    @model_validator(mode="after")
    def _mapped(self, info: ValidationInfo) -> _Source:
        mapping: dict[str, Any] = getattr(self, "mapping", {})
        for entity in mapping:
            if entity not in self.entities:
                raise ValueError(f"mapping.{entity} is not in entities {self.entities}")
        missing = [e for e in self.entities if e not in mapping]
        if missing and self.kind not in ("feed", "register", "ical"):  # type: ignore[attr-defined]
            raise ValueError(f"entities {missing} have no mapping")
        if not _checked_by_loader(info):
            for entity, stream in mapping.items():
                for part in ("fields", "defaults"):
                    for name in getattr(stream, part):
                        if problem := record_field_problem(entity, name):
                            raise ValueError(f"mapping.{entity}.{part}.{name}: {problem}")
        return self

    @property
    def host(self) -> str | None:
        """The server this source talks to, for politeness limits (None for local files)."""
        url: str | None = getattr(self, "url", None)
        match = re.match(r"^https?://([^/]+)", url or "")
        return match[1].lower() if match else None

    @property
    def location(self) -> str:
        return getattr(self, "url", None) or str(getattr(self, "path", ""))


class JsonApiSource(_Source):
    kind: Literal["json_api"]
    url: HttpUrl
    mapping: dict[EntityKind, JsonApiStream]


class TabularSource(_Source):
    """A CSV or XLSX register, from a file (relative to the partners file) or a URL."""

    kind: Literal["tabular"]
    url: HttpUrl | None = None
    path: Path | None = None
    format: Literal["auto", "csv", "xlsx"] = "auto"
    encoding: Literal["auto", "utf-8", "utf-8-sig", "cp1252", "latin-1"] = "auto"
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    mapping: dict[EntityKind, TabularStream]

    @model_validator(mode="after")
    def _one_place(self) -> TabularSource:
        if (self.url is None) == (self.path is None):
            raise ValueError("a tabular source needs exactly one of url or path")
        if not self.is_xlsx and len(self.entities) > 1:
            raise ValueError("a CSV carries one entity; use one source per file")
        return self

    @property
    def is_xlsx(self) -> bool:
        if self.format == "auto":
            return self.location.lower().split("?")[0].endswith((".xlsx", ".xlsm"))
        return self.format == "xlsx"


class FeedSource(_Source):
    kind: Literal["feed"]
    url: HttpUrl
    entities: list[Literal["resource"]] = Field(default=["resource"], min_length=1)
    mapping: dict[Literal["resource"], FeedStream] = Field(default_factory=dict)


class IcalSource(_Source):
    """An iCalendar feed of events (``.ics``); times without a zone are read in ``time_zone``,
    else the calendar's X-WR-TIMEZONE, else Europe/London."""

    kind: Literal["ical"]
    url: HttpUrl
    time_zone: str | None = None
    expand: IcalExpand = Field(default_factory=IcalExpand)
    entities: list[Literal["resource"]] = Field(default=["resource"], min_length=1)
    mapping: dict[Literal["resource"], IcalStream] = Field(default_factory=dict)

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        return check_time_zone(value)


class GraphQLSource(_Source):
    kind: Literal["graphql"]
    url: HttpUrl
    mapping: dict[EntityKind, GraphQLStream]


class RegisterSource(_Source):
    """A reference register of organisations: NHS ODS files, or code,name,kind,former_names.

    ``holds`` says what the rows are (trust, icb, gp_practice, council...); ``successors``
    is the ODS successor file (succ.csv) for an ODS register, by path or URL.
    """

    kind: Literal["register"]
    format: Literal["ods", "csv"] = "ods"
    holds: (
        Literal["trust", "icb", "sub_icb_location", "ccg", "gp_practice", "health_board", "council"]
        | None
    ) = None
    url: HttpUrl | None = None
    path: Path | None = None
    successors: str | None = None
    entities: list[Literal["organisation"]] = Field(default=["organisation"], min_length=1)

    @model_validator(mode="after")
    def _one_place(self) -> RegisterSource:
        if (self.url is None) == (self.path is None):
            raise ValueError("a register source needs exactly one of url or path")
        if self.format == "ods" and self.holds is None:
            raise ValueError("an ODS register needs holds: trust, icb, gp_practice, ...")
        return self


Source = Annotated[
    JsonApiSource | TabularSource | FeedSource | GraphQLSource | RegisterSource | IcalSource,
    Field(discriminator="kind"),
]


# --- partners and systems -------------------------------------------------------------------


class SystemConfig(_Strict):
    """An integrated care system or a region; neighbours federate into a regional view."""

    id: Slug
    name: str = Field(min_length=1)
    kind: Literal["ics", "region"] = "ics"
    neighbours: list[Slug] = Field(default_factory=list)


class PartnerConfig(_Strict):
    id: Slug
    name: str = Field(min_length=1)
    sector: Sector
    org_type: str | None = None
    system: Slug | None = None
    ods_code: str | None = None
    website: HttpUrl | None = None
    embed_origins: list[Origin] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)

    @field_validator("ods_code")
    @classmethod
    def _ods(cls, value: str | None) -> str | None:
        if value is not None and not ODS_CODE.match(value.strip().upper()):
            raise ValueError(f"not an ODS code: {value!r}")
        return value.strip().upper() if value else None


class PartnersFile(_Strict):
    systems: list[SystemConfig] = Field(default_factory=list)
    partners: list[PartnerConfig] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references(self, info: ValidationInfo) -> PartnersFile:
        if not _checked_by_loader(info):
            for _, problem in reference_problems(self.model_dump(mode="json")):
                raise ValueError(problem)
        return self

    def sources(self) -> list[tuple[PartnerConfig, Source]]:
        return [(partner, source) for partner in self.partners for source in partner.sources]


_LOADER = "partners file loader"
"""Validation context of ``load_partners``: it checks references and record fields itself,
over the whole file at once, so that every problem is listed with its line."""


def _checked_by_loader(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get(_LOADER))


def _entries(data: Any, key: str, loc: Loc = ()) -> Iterator[tuple[Loc, dict[str, Any]]]:
    """The entries of a list in ``data`` that are mappings, each with its key path."""
    found = data.get(key) if isinstance(data, dict) else None
    for index, entry in enumerate(found if isinstance(found, list) else []):
        if isinstance(entry, dict):
            yield (*loc, key, index), entry


def reference_problems(data: Any) -> list[tuple[Loc, str]]:
    """Every id used twice and every reference to a system that is not in the file."""
    problems: list[tuple[Loc, str]] = []
    systems = {s.get("id") for _, s in _entries(data, "systems")}
    for loc, system in _entries(data, "systems"):
        for index, neighbour in enumerate(system.get("neighbours") or []):
            if neighbour not in systems:
                unknown = f"unknown neighbour {neighbour!r}"
                problems.append(
                    (
                        (*loc, "neighbours", index),
                        unknown + did_you_mean(str(neighbour), [str(s) for s in systems if s]),
                    )
                )
    partners = list(_entries(data, "partners"))
    sources = [(s_loc, s) for p_loc, p in partners for s_loc, s in _entries(p, "sources", p_loc)]
    seen: dict[str, set[Any]] = {"system": set(), "partner": set(), "source": {REGISTRY_SOURCE}}
    for what, entries in (
        ("system", _entries(data, "systems")),
        ("partner", partners),
        ("source", sources),
    ):
        for loc, entry in entries:
            item = entry.get("id")
            if item is not None and item in seen[what]:
                reserved = " (reserved for the partner registry)" if item == REGISTRY_SOURCE else ""
                problems.append(((*loc, "id"), f"{what} id {item!r} is used twice{reserved}"))
            seen[what].add(item)
    for loc, partner in partners:
        system = partner.get("system")
        if system is not None and system not in systems:
            named = [str(s) for s in systems if s]
            problems.append(
                ((*loc, "system"), f"unknown system {system!r}" + did_you_mean(str(system), named))
            )
    return problems


def record_field_problems(data: Any) -> list[tuple[Loc, str]]:
    """Every name in a mapping's ``fields`` or ``defaults`` that its record does not have."""
    problems: list[tuple[Loc, str]] = []
    for p_loc, partner in _entries(data, "partners"):
        for loc, source in _entries(partner, "sources", p_loc):
            mapping = source.get("mapping")
            for entity, stream in mapping.items() if isinstance(mapping, dict) else []:
                for part in ("fields", "defaults"):
                    names = stream.get(part) if isinstance(stream, dict) else None
                    for name in names if isinstance(names, dict) else []:
                        if problem := record_field_problem(str(entity), str(name)):
                            problems.append(((*loc, "mapping", entity, part, name), problem))
    return problems


class PartnersFileError(ValueError):
    """The partners file cannot be used; ``problems`` lists every reason, one line each,
    in the order of the file, each with its line where it has one."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        listed = "\n".join(f"  - {problem}" for problem in problems)
        counted = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
        super().__init__(f"{path}: {counted}\n{listed}")


def load_partners(path: Path, env: dict[str, str] | None = None) -> PartnersFile:
    """Read, expand ``${VAR}`` from ``env`` (the process environment) and validate the file.

    Every problem is found in one go (unset variables, unknown keys, bad values, references,
    record fields), so three mistakes take one run to learn of, not three.
    """
    environment = dict(os.environ) if env is None else env
    try:
        raw, lines = load_yaml(path.read_text(encoding="utf-8"), path)
    except OSError as error:
        raise PartnersFileError(path, [f"cannot be read: {error.strerror}"]) from None
    except UnicodeDecodeError as error:
        raise PartnersFileError(path, [f"is not UTF-8 text: {error.reason}"]) from None
    except yaml.YAMLError as error:
        raise PartnersFileError(path, [yaml_problem(error)]) from None
    if not isinstance(raw, dict):
        raise PartnersFileError(path, ["should be a mapping with 'systems' and 'partners'"])
    found: list[tuple[Loc, str]] = []
    expanded = _expand(raw, environment, (), found)
    unset = {loc for loc, _ in found}  # an emptied value fails validation too: said once
    _resolve_paths(expanded, path.parent)
    partners: PartnersFile | None = None
    try:
        partners = PartnersFile.model_validate(expanded, context={_LOADER: True})
    except ValidationError as error:
        found += [(loc, said) for loc, said in _describe(error, expanded) if loc not in unset]
    found += reference_problems(expanded) + record_field_problems(expanded)
    if found or partners is None:
        ordered = sorted(found, key=lambda problem: line_of(lines, problem[0]) or 0)
        raise PartnersFileError(path, [_said(loc, said, raw, lines) for loc, said in ordered])
    return partners


def _said(loc: Loc, message: str, data: Any, lines: dict[Loc, int]) -> str:
    """``line 12: partner 'zv', source 'zv-api', field url: ...``."""
    line = line_of(lines, loc)
    return f"{f'line {line}: ' if line else ''}{_where(list(loc), data)}: {message}"


def _expand(value: Any, env: dict[str, str], loc: Loc, problems: list[tuple[Loc, str]]) -> Any:
    if isinstance(value, dict):
        return {k: _expand(v, env, (*loc, k), problems) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, env, (*loc, i), problems) for i, v in enumerate(value)]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        name = match[1]
        if name not in env:
            problems.append(
                (
                    loc,
                    f"environment variable {name} is not set "
                    "(set it, or write the value in the file)",
                )
            )
            return ""
        return env[name]

    return _ENV_VAR.sub(substitute, value)


def _resolve_paths(data: dict[str, Any], base: Path) -> None:
    """Tabular paths are relative to the partners file, wherever the command runs."""
    for partner in data.get("partners") or []:
        for source in (partner.get("sources") or []) if isinstance(partner, dict) else []:
            if isinstance(source, dict) and isinstance(source.get("path"), str):
                source["path"] = str((base / source["path"]).resolve())
            successors = source.get("successors") if isinstance(source, dict) else None
            if isinstance(successors, str) and not re.match(r"^https?://", successors):
                source["successors"] = str((base / successors).resolve())


def _describe(error: ValidationError, data: Any) -> list[tuple[Loc, str]]:
    problems = []
    for item in error.errors():
        loc = tuple(_without_union_tags(item["loc"]))
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            model = model_at(PartnersFile, loc[:-1], data)
            allowed = model.model_fields if model is not None else ()
            message = "unknown key" + (
                did_you_mean(str(loc[-1]), allowed) or " (check its spelling and its place)"
            )
        problems.append((loc, message))
    return problems


def _without_union_tags(loc: tuple[Any, ...]) -> list[Any]:
    """Pydantic names the union member it tried (``json_api``); people know it as ``kind``.

    The tag follows a source's index, ``pagination`` or ``auth``.
    """
    kept: list[Any] = []
    for index, part in enumerate(loc):
        before = loc[index - 1] if index else None
        after_source = isinstance(before, int) and index > 1 and loc[index - 2] == "sources"
        if isinstance(part, str) and (after_source or before in ("pagination", "auth")):
            continue
        kept.append(part)
    return kept


_ENTRY_LISTS = {"systems": "system", "partners": "partner", "sources": "source"}


def _where(loc: list[Any], data: Any) -> str:
    """``partner 'nv-hospitals', source 'nv-projects', field mapping.project.title``."""
    names: list[str] = []
    fields: list[str] = []
    node = data
    for index, part in enumerate(loc):
        child = _child(node, part)
        parent_key = loc[index - 1] if index else None
        if isinstance(part, int) and not fields and parent_key in _ENTRY_LISTS:
            label = _ENTRY_LISTS[str(parent_key)]
            has_id = isinstance(child, dict) and isinstance(child.get("id"), str)
            names.append(f"{label} {child['id']!r}" if has_id else f"{label} #{part + 1}")
        elif fields or part not in _ENTRY_LISTS:
            fields.append(str(part))
        node = child
    where = ", ".join(names) or "the file"
    return f"{where}, field {'.'.join(fields)}" if fields else where


def _child(node: Any, part: Any) -> Any:
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list) and isinstance(part, int) and part < len(node):
        return node[part]
    return None
