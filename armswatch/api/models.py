"""Pydantic models of the API: what each endpoint takes and returns (they make /docs).

Records carry the fields named here, documented in the OpenAPI schema; they
allow extra fields so a record grows without breaking clients.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

T = TypeVar("T")


class Record(BaseModel):
    model_config = ConfigDict(extra="allow")


class Page(BaseModel, Generic[T]):
    """One page of a list: ``items``, the ``total`` matching the filters, and where the page is."""

    items: list[T]
    total: int = Field(description="how many records match the filters, over all pages")
    limit: int
    offset: int


class Feature(Record):
    name: str
    value: float
    weight: float
    detail: str


class SanctionMatch(Record):
    """An actor of the reporting found on a sanctions list, and why."""

    list_: str = Field(alias="list", description="list name, e.g. us_ofac_sdn, un_sc")
    entry_id: str
    name: str = Field(description="the listed entry's primary name")
    schema_: str | None = Field(None, alias="schema")
    programs: list[str] = []
    listed_on: str | None = None
    score: float
    matched_name: str
    explanation: str
    features: list[Feature] = []


class RoleEntity(Record):
    id: str
    name: str
    kind: str
    country: str | None = None
    mention: str | None = None
    sanctions: list[SanctionMatch] = []


class EvidenceSpan(Record):
    text: str
    start: int = Field(description="character offset in the document text")
    end: int


class DocumentRef(Record):
    id: str
    name: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    source: str | None = None
    publisher: str


class FactOut(Record):
    id: str
    type: str
    stage: str | None = None
    kind: str | None = None
    domain: str | None = None
    factuality: str
    roles: dict[str, list[RoleEntity]]
    items: list[str]
    designations: list[str]
    quantities: list[Any]
    source: list[Any]
    evidence: list[EvidenceSpan]
    dates: list[Any] = []
    event_date: str | None = None
    document: DocumentRef


class EventOut(Record):
    id: str
    type: str
    stage: str | None = None
    kind: str | None = None
    status: str
    contradicted: bool
    items: list[str]
    designations: list[str]
    quantities: list[Any]
    stage_history: list[Any]
    factuality: dict[str, int]
    first_reported: str | None = None
    last_reported: str | None = None
    documents: int
    stories: int
    sources: int
    facts: int
    roles: dict[str, list[RoleEntity]]


class SourceStance(Record):
    publisher: str
    documents: list[DocumentRef]
    stances: dict[str, int]


class EventDetail(EventOut):
    supporting_facts: list[FactOut]
    source_list: list[SourceStance]


class ContradictionOut(EventOut):
    asserted: list[FactOut]
    denied: list[FactOut]


class RegisterRow(Record):
    event_id: str
    supplier: list[str]
    recipient: list[str]
    broker: list[str]
    items: list[str]
    designations: list[str]
    quantities: list[Any]
    stage: str | None = None
    status: str
    stage_history: list[Any]
    first_reported: str | None = None
    last_reported: str | None = None
    stories: int
    sources: int
    documents: int
    facts: int
    factuality: dict[str, int]
    contradicted: bool
    listed: list[dict[str, Any]]


class DocumentOut(DocumentRef):
    status: str
    origin: str
    facts: int


class DocumentDetail(DocumentRef):
    status: str
    text: str
    facts: list[FactOut]


class EntityOut(Record):
    id: str
    name: str
    kind: str
    country: str | None = None
    category: str | None = None
    facts: int
    events: int
    sanctions: list[SanctionMatch]


class EntityDetail(Record):
    id: str
    name: str
    kind: str
    country: str | None = None
    category: str | None = None
    fact_count: int
    sanctions: list[SanctionMatch]
    events: list[EventOut]
    facts: list[FactOut]


class GraphNode(Record):
    id: str
    label: str
    kind: str
    country: str | None = None
    sanctioned: bool
    degree: int


class GraphEdge(Record):
    id: str
    source: str
    target: str
    event_id: str
    type: str
    stage: str | None = None
    label: str


class Graph(BaseModel):
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool


class ListVersion(Record):
    id: int
    list_: str = Field(alias="list")
    title: str
    published: str | None = None
    entry_count: int
    file_hash: str
    format: str
    current: bool


class ListDiffOut(BaseModel):
    list_: str = Field(alias="list")
    old_version: int
    new_version: int
    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    changed: list[dict[str, Any]]


class ScreenQuery(BaseModel):
    """A name to screen, with what else is known of it."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=500)
    schema_: Literal["Person", "Organization", "Company", "LegalEntity", "Vessel"] | None = Field(
        None, alias="schema", description="what the name is: Person, Organization, Company, Vessel")
    country: str | None = Field(None, max_length=64, description="ISO code or country name")
    dob: str | None = Field(None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="YYYY[-MM[-DD]]")

    @field_validator("name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the name is blank")
        return value


class ScreenRequest(BaseModel):
    """One name (``name``) or a batch (``names``, at most 1,000)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: str | None = Field(None, min_length=1, max_length=500)
    schema_: str | None = Field(None, alias="schema")
    country: str | None = None
    dob: str | None = None
    names: list[ScreenQuery] | None = Field(None, max_length=1000)
    threshold: float = Field(0.75, ge=0.0, le=1.0)
    limit: int = Field(10, ge=1, le=100)

    @model_validator(mode="after")
    def _one_or_batch(self) -> ScreenRequest:
        if (self.name is None) == (self.names is None):
            raise ValueError("give either 'name' (one name) or 'names' (a batch), not both or neither")
        if self.name is not None and not self.name.strip():
            raise ValueError("the name is blank")
        return self

    def queries(self) -> list[ScreenQuery]:
        if self.names is not None:
            return self.names
        return [ScreenQuery.model_validate({"name": self.name, "schema": self.schema_,
                                            "country": self.country, "dob": self.dob})]


class ScreenResult(BaseModel):
    query: dict[str, Any]
    matches: list[SanctionMatch]


class ScreenResponse(BaseModel):
    lists: list[str] = Field(description="the list versions screened against")
    entries: int
    results: list[ScreenResult]


class IngestRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    urls: list[str] = Field(min_length=1, max_length=100)
    extract: bool = True

    @field_validator("urls")
    @classmethod
    def _http_only(cls, urls: list[str]) -> list[str]:
        for url in urls:
            if not url.lower().startswith(("http://", "https://")):
                raise ValueError(f"{url!r} is not an http(s) URL")
        return urls


class RunOut(Record):
    run_id: int | None
    documents_seen: int
    documents_added: int
    duplicates: int
    documents_extracted: int
    facts_added: int
    events: int
    errors: list[dict[str, str]]


class FeedIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=8, max_length=2000)
    title: str | None = Field(None, max_length=500)

    @field_validator("url")
    @classmethod
    def _http_only(cls, url: str) -> str:
        if not url.lower().startswith(("http://", "https://")):
            raise ValueError(f"{url!r} is not an http(s) URL")
        return url


class FeedOut(Record):
    id: int
    url: str
    title: str | None = None


class Health(BaseModel):
    status: str
    version: str
    reads: str = Field(description="'open' or 'token'")
    writes: bool = Field(description="whether writes are enabled (a token is configured)")


class Stats(BaseModel):
    counts: dict[str, int]
    generation: int = Field(description="changes whenever the store is written to")
