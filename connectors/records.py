"""The records connectors emit and ``graph`` ingests: the contract between the two.

Every record carries ``ref``, the source's own id for it, so a source's next pull can say
"the same thing again". Values are checked and normalised here, once, so that a bad partner
record is rejected with a message naming its field, whichever connector read it.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from connectors.enums import ImprovementMode, Offer, ProjectStatus, ResourceType, Sector


def _parse_date(value: Any) -> Any:
    """Dates as partners really write them: ISO, UK day/month/year, or year-month."""
    if value is None or isinstance(value, date | datetime):
        return value.date() if isinstance(value, datetime) else value
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m", "%Y/%m/%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise ValueError(f"not a date: {text!r} (use YYYY-MM-DD or DD/MM/YYYY)") from None


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
Labels = Annotated[list[Text], BeforeValidator(_clean_list)]
Url = Annotated[
    Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=2000)] | None,
    BeforeValidator(_blank_to_none),
]

ODS_CODE = re.compile(r"^[A-Z0-9]{3,10}$")
ORCID = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


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


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    ref: Ref
    updated_at: datetime | None = None


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

    @field_validator("former_codes", "successors")
    @classmethod
    def _codes(cls, value: list[str]) -> list[str]:
        return [code for code in (OrganisationRef(ods_code=v).ods_code for v in value) if code]


class PersonRecord(_Record):
    """A person as one source lists them.

    ``contact_consent`` says the person agreed to their e-mail and phone being shown;
    ``public`` says they agreed to be listed to anonymous visitors (name, role, organisation).
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


class ProjectMember(BaseModel):
    """A person on a project, by their ``ref`` in the same source, with their role."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    person: Ref
    role: OptionalText = None


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

    @field_validator("status", "mode", mode="before")
    @classmethod
    def _enum_spelling(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = re.sub(r"[\s-]+", "_", value.strip().lower())
            return text or None
        return value

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

    @field_validator("resource_type", mode="before")
    @classmethod
    def _kind_spelling(cls, value: Any) -> Any:
        if isinstance(value, str):
            return re.sub(r"[\s-]+", "_", value.strip().lower()) or ResourceType.OTHER
        return value


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
