"""The records connectors emit and ``graph`` ingests: the contract between the two.

Every record carries ``ref``, the source's own id for it, so a source's next pull can say
"the same thing again". Values are checked and normalised here, once, so that a bad partner
record is rejected with a message naming its field, whichever connector read it.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from connectors.enums import (
    ImprovementMode,
    Offer,
    PersonKind,
    ProjectStatus,
    ResourceType,
    Sector,
)


def _parse_date(value: Any) -> Any:
    """Dates as partners really write them: ISO, UK day/month/year, or year-month."""
    if value is None or isinstance(value, date | datetime):
        return value.date() if isinstance(value, datetime) else value
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    day = _parse_date_or_none(text) or _parse_date_or_none(text, ("%Y-%m",))
    if day is not None:
        return day
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise ValueError(f"not a date: {text!r} (use YYYY-MM-DD or DD/MM/YYYY)") from None


def _parse_instant(value: Any) -> Any:
    """A moment as partners write it: ISO 8601 (an offset or not), or a bare day for all day.

    A bare day stays a ``date`` (the record makes it all day); a time without an offset stays
    naive until the record reads it in its time zone.
    """
    if value is None or isinstance(value, date | datetime):
        return value
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    day = _parse_date_or_none(text)
    if day is not None:
        return day
    for pattern in ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S"):
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"not a date and time: {text!r} (use YYYY-MM-DDTHH:MM, with an offset or a time_zone)"
        ) from None


_DAY_PATTERNS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")


def _parse_date_or_none(text: str, patterns: tuple[str, ...] = _DAY_PATTERNS) -> date | None:
    """The day ``text`` names in one of ``patterns``, or None."""
    for pattern in patterns:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _clean_list(value: Any) -> Any:
    """Drop blanks and repeats from a list of labels, keeping the partner's order."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple | set):
        return value
    seen: dict[str, None] = {}
    for item in value:
        text = str(item).strip() if item is not None else ""
        if text:
            seen.setdefault(text, None)
    return list(seen)


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000)]
OptionalText = Annotated[str | None, BeforeValidator(_blank_to_none)]
OptionalLongText = Annotated[LongText | None, BeforeValidator(_blank_to_none)]
Ref = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Day = Annotated[date | None, BeforeValidator(_parse_date)]
Instant = Annotated[datetime | date | None, BeforeValidator(_parse_instant)]
OptionalLine = Annotated[Text | None, BeforeValidator(_blank_to_none)]
Places = Annotated[int | None, Field(ge=0, le=100_000), BeforeValidator(_blank_to_none)]
Labels = Annotated[list[Text], BeforeValidator(_clean_list)]
Url = Annotated[
    Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=2000)] | None,
    BeforeValidator(_blank_to_none),
]

DEFAULT_TIME_ZONE = "Europe/London"
"""The zone of times a partner gives without an offset or a ``time_zone`` (the hub is UK's)."""

ODS_CODE = re.compile(r"^[A-Z0-9]{3,10}$")
ORCID = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _enum_word(value: Any) -> Any:
    """A partner's spelling of a closed value as ours: ``In progress`` -> ``in_progress``."""
    if isinstance(value, str):
        return re.sub(r"[\s-]+", "_", value.strip().lower()) or None
    return value


def check_time_zone(value: str | None) -> str | None:
    """An IANA time zone name, or a ValueError saying what to give instead."""
    if value is None:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"not a time zone: {value!r} (use an IANA name such as Europe/London)"
        ) from None
    return value


def _in_zone(value: datetime | date, zone: ZoneInfo, *, end: bool = False) -> datetime:
    """A moment with its offset: a naive time read in ``zone``; a bare day at its midnight
    there (for an end, the midnight after it: an all-day event's last day is inclusive)."""
    if not isinstance(value, datetime):
        day = value + timedelta(days=1) if end else value
        return datetime.combine(day, time(), zone)
    return value if value.tzinfo is not None else value.replace(tzinfo=zone)


def _end_after_start(end: datetime | date | None, info: ValidationInfo) -> datetime | date | None:
    """An end is checked against the start validated before it, in the zone given (if any)."""
    if end is None:
        return None
    start = info.data.get("starts_at")
    if start is None:
        if "starts_at" in info.data:
            raise ValueError("an end is given without starts_at")
        return end  # the start itself was bad, and is named
    named = info.data.get("time_zone")
    zone = ZoneInfo(named or DEFAULT_TIME_ZONE)
    if _in_zone(end, zone, end=True) < _in_zone(start, zone):
        raise ValueError(f"{end} is before starts_at {start}")
    return end


class OrganisationRef(BaseModel):
    """How one record points at an organisation: by ODS code, by name, or both."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: OptionalText = None
    ods_code: OptionalText = None

    @field_validator("ods_code")
    @classmethod
    def _ods(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = value.strip().upper()
        if not ODS_CODE.match(code):
            raise ValueError(f"not an ODS code: {value!r}")
        return code

    @model_validator(mode="after")
    def _named(self) -> OrganisationRef:
        if not self.name and not self.ods_code:
            raise ValueError("an organisation needs a name or an ODS code")
        return self


def _same_as(value: Any) -> Any:
    """``<hub's GraphQL URL>#<id there>``: the URL must be http(s) and hold no ``#``."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    hub, mark, node_id = text.partition("#")
    if not mark or not node_id.strip() or not re.match(r"^https?://[^\s#]+$", hub):
        raise ValueError(f"not <hub GraphQL URL>#<id>: {value!r}")
    return text


SameAs = Annotated[str, BeforeValidator(_same_as), StringConstraints(max_length=1000)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    ref: Ref
    updated_at: datetime | None = None
    same_as: list[SameAs] = Field(default=[], max_length=10)
    """The same thing at other hubs, as ``<hub's GraphQL URL>#<its id there>``: a record pulled
    from another Convener hub keeps where it came from (connectors/graphql.py adds it)."""


class OrganisationRecord(_Record):
    kind: Literal["organisation"] = "organisation"
    name: Text
    ods_code: OptionalText = None
    sector: Sector | None = None
    org_type: OptionalText = None
    system: OptionalText = None
    website: Url = None
    aliases: Labels = []
    # From registers of organisations (connectors/registers.py): names and codes the body had
    # before a rename or merger, and for a closed body the codes of its successors.
    former_names: Labels = []
    former_codes: list[str] = []
    successors: list[str] = []
    closed_on: Day = None

    @field_validator("ods_code")
    @classmethod
    def _ods(cls, value: str | None) -> str | None:
        return OrganisationRef(ods_code=value).ods_code if value else None

    @field_validator("sector", mode="before")
    @classmethod
    def _sector_spelling(cls, value: Any) -> Any:
        return _enum_word(value)  # another hub's `LOCAL_GOVERNMENT` is our local_government

    @field_validator("former_codes", "successors")
    @classmethod
    def _codes(cls, value: list[str]) -> list[str]:
        return [code for code in (OrganisationRef(ods_code=v).ods_code for v in value) if code]


class PersonRecord(_Record):
    """A person as one source lists them.

    ``contact_consent`` says the person agreed to their e-mail and phone being shown;
    ``public`` says they agreed to be listed to anonymous visitors (name, role, organisation);
    ``person_kind`` (staff, patient or carer, ...) is shown, and filtered on, only where
    ``kind_consent`` says they agreed to it (``kind`` is the record's own discriminator).
    """

    kind: Literal["person"] = "person"
    name: Text
    role: OptionalText = None
    organisation: OrganisationRef | None = None
    orcid: OptionalText = None
    email: OptionalText = None
    phone: OptionalText = None
    offers: list[Offer] = []
    interests: Labels = []
    bio: OptionalLongText = None
    contact_consent: bool = False
    public: bool = False
    person_kind: PersonKind | None = None
    kind_consent: bool = False

    @field_validator("orcid")
    @classmethod
    def _orcid(cls, value: str | None) -> str | None:
        if value is None:
            return None
        orcid = value.strip().removeprefix("https://orcid.org/").upper()
        if not ORCID.match(orcid):
            raise ValueError(f"not an ORCID iD: {value!r} (expected 0000-0000-0000-0000)")
        return orcid

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not EMAIL.match(value.strip()):
            raise ValueError(f"not an e-mail address: {value!r}")
        return value.strip().lower()

    @field_validator("offers", mode="before")
    @classmethod
    def _offers(cls, value: Any) -> Any:
        return [str(item).strip().lower() for item in _clean_list(value)]

    @field_validator("person_kind", mode="before")
    @classmethod
    def _person_kind(cls, value: Any) -> Any:
        """``Patient or carer``, ``lived-experience partner``: case, spaces and dashes aside."""
        if isinstance(value, str):
            words = re.sub(r"[\s\-]+", "_", value.strip().lower())
            return words or None
        return value


class ProjectMember(BaseModel):
    """A person on a project, by their ``ref`` in the same source, with their role."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    person: Ref
    role: OptionalText = None


class VisitDate(BaseModel):
    """One date a team hosts visitors; a time without an offset is read in the offer's zone."""

    model_config = ConfigDict(extra="forbid")

    starts_at: Instant
    ends_at: Instant = None
    places: Places = None

    @field_validator("starts_at")
    @classmethod
    def _given(cls, value: datetime | date | None) -> datetime | date:
        if value is None:
            raise ValueError("a visit date needs starts_at")
        return value

    @field_validator("ends_at")
    @classmethod
    def _ends(cls, value: datetime | date | None, info: ValidationInfo) -> datetime | date | None:
        return _end_after_start(value, info)


class VisitOffer(BaseModel):
    """A project team's offer to host visits: on set ``dates``, ``on_request``, or both, and
    how to ask (``how_to_ask`` in words, ``url`` to a form or page)."""

    model_config = ConfigDict(extra="forbid")

    on_request: bool = False
    dates: list[VisitDate] = Field(default=[], max_length=100)
    how_to_ask: OptionalLongText = None
    url: Url = None
    time_zone: OptionalLine = None

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        return check_time_zone(value)

    @model_validator(mode="after")
    def _offered(self) -> VisitOffer:
        if not self.on_request and not self.dates:
            raise ValueError("a visit offer needs dates or on_request: true")
        zone = ZoneInfo(self.time_zone or DEFAULT_TIME_ZONE)
        for visit in self.dates:
            assert visit.starts_at is not None  # VisitDate checked it
            visit.starts_at = _in_zone(visit.starts_at, zone)
            if visit.ends_at is not None:
                visit.ends_at = _in_zone(visit.ends_at, zone, end=True)
        self.dates.sort(key=lambda visit: visit.starts_at)  # type: ignore[arg-type, return-value]
        return self


class ProjectRecord(_Record):
    kind: Literal["project"] = "project"
    title: Text
    summary: OptionalLongText = None
    aim: OptionalLongText = None
    status: ProjectStatus | None = None
    start_date: Day = None
    end_date: Day = None
    methods: Labels = []
    mode: ImprovementMode | None = None
    lead_organisation: OrganisationRef | None = None
    partner_organisations: list[OrganisationRef] = []
    topics: Labels = []
    members: list[ProjectMember] = []
    url: Url = None

    visits: VisitOffer | None = None
    """\"Go and see\": visits the project team offers, on set dates or on request."""

    @field_validator("status", "mode", mode="before")
    @classmethod
    def _enum_spelling(cls, value: Any) -> Any:
        return _enum_word(value)

    @model_validator(mode="after")
    def _dates_in_order(self) -> ProjectRecord:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError(f"end_date {self.end_date} is before start_date {self.start_date}")
        return self


class ResourceRecord(_Record):
    kind: Literal["resource"] = "resource"
    title: Text
    resource_type: ResourceType = ResourceType.OTHER
    summary: OptionalLongText = None
    url: Url = None
    published: Day = None
    attendance: int | None = Field(default=None, ge=0)
    """How many people came to an event or training, where the source says (impact's reach)."""
    topics: Labels = []
    project: OptionalText = None
    organisation: OrganisationRef | None = None
    # Events and training (issue 19): when and where, for whom, and how to book. A time
    # without an offset is read in ``time_zone`` (else DEFAULT_TIME_ZONE); a bare day makes
    # the event ``all_day``, and an all-day event's ``ends_at`` is its last day.
    time_zone: OptionalLine = None
    starts_at: Instant = None
    ends_at: Instant = None
    all_day: bool = False
    venue: OptionalLine = None
    online: bool = False
    booking_url: Url = None
    audience: OptionalLine = None
    organiser: OptionalLine = None
    places: Places = None
    # A learning programme and one of its modules; the mode of improvement it serves.
    programme: OptionalLine = None
    module: OptionalLine = None
    mode: ImprovementMode | None = None

    @field_validator("resource_type", mode="before")
    @classmethod
    def _kind_spelling(cls, value: Any) -> Any:
        if isinstance(value, str):
            return _enum_word(value) or ResourceType.OTHER
        return value

    @field_validator("mode", mode="before")
    @classmethod
    def _mode_spelling(cls, value: Any) -> Any:
        return _enum_word(value)

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        return check_time_zone(value)

    @field_validator("ends_at")
    @classmethod
    def _ends(cls, value: datetime | date | None, info: ValidationInfo) -> datetime | date | None:
        return _end_after_start(value, info)

    @field_validator("module")
    @classmethod
    def _in_programme(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and not info.data.get("programme"):
            raise ValueError(f"module {value!r} needs the programme it belongs to")
        return value

    @model_validator(mode="after")
    def _when(self) -> ResourceRecord:
        """Times with their zone's offset; a bare day makes the event all day."""
        if self.starts_at is None:
            return self
        zone = ZoneInfo(self.time_zone or DEFAULT_TIME_ZONE)
        if not isinstance(self.starts_at, datetime):
            self.all_day = True
        if self.time_zone is None and (
            not isinstance(self.starts_at, datetime) or self.starts_at.tzinfo is None
        ):
            self.time_zone = DEFAULT_TIME_ZONE  # the zone the time was read in
        self.starts_at = _in_zone(self.starts_at, zone)
        if self.ends_at is not None:
            self.ends_at = _in_zone(self.ends_at, zone, end=True)
        return self


Record = Annotated[
    OrganisationRecord | PersonRecord | ProjectRecord | ResourceRecord,
    Field(discriminator="kind"),
]
RECORD_ADAPTER: TypeAdapter[Record] = TypeAdapter(Record)


class RecordError(BaseModel):
    """A record a source sent that could not be used, and where exactly it was.

    ``kind`` and ``ref`` say which record it was, where the item says so: a record the source
    still lists but that failed validation is kept as it was, not retired.
    """

    source: str
    location: str
    field: str | None = None
    message: str
    kind: str | None = None
    ref: str | None = None

    def __str__(self) -> str:
        where = f"{self.source}, {self.location}"
        if self.field:
            where += f", field {self.field!r}"
        return f"{where}: {self.message}"


def parse_record(data: dict[str, Any], *, source: str, location: str) -> Record | RecordError:
    """Validate one mapped record; a failure becomes a RecordError naming the first bad field
    and, where the item gives them, the record's kind and ref."""
    try:
        return RECORD_ADAPTER.validate_python(data)
    except ValidationError as error:
        kind, ref = data.get("kind"), data.get("ref")
        first = error.errors()[0]
        loc = [str(part) for part in first["loc"]]
        if loc and loc[0] == data.get("kind"):
            loc = loc[1:]  # the union's tag, not a field of the partner's record
        message = first["msg"].removeprefix("Value error, ")
        return RecordError(
            source=source,
            location=location,
            field=".".join(loc) or None,
            message=message,
            kind=kind if isinstance(kind, str) else None,
            ref=ref.strip() if isinstance(ref, str) and ref.strip() else None,
        )
