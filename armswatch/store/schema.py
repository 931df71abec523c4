"""The tables of the store, declared once with SQLAlchemy Core.

Alembic migrations under ``migrations/versions`` create exactly these tables;
a test compares the two so they cannot drift. Ids are deterministic strings
wherever the thing has a natural identity (documents by content hash, facts by
:attr:`armswatch.model.Fact.id`, entities by canonical key, events by their
consolidation key), so re-running work writes the same rows and a run killed
half-way leaves nothing that a rerun would duplicate.

Text columns are unbounded ``Text`` (documents and evidence can be long and
hold any character); lists and small records are JSON.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

#: one row per distinct text (content hash); ``status`` is pending -> done | failed
documents = Table(
    "documents", metadata,
    Column("id", String(32), primary_key=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("url", Text),
    Column("path", Text),
    Column("title", Text),
    Column("author", Text),
    Column("source", Text),
    Column("published", String(10)),  # ISO date, YYYY-MM-DD
    Column("origin", String(16), nullable=False),  # file | url | feed | text
    Column("encoding", String(32)),
    Column("story_id", String(32), nullable=False, index=True),
    Column("minhash", LargeBinary),
    Column("status", String(16), nullable=False, index=True),
    Column("error", Text),
    Column("extractor_version", String(32)),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("extracted_at", DateTime(timezone=True)),
    Column("run_id", Integer, ForeignKey("runs.id")),
)
Index("ix_documents_url", documents.c.url)
Index("ix_documents_published", documents.c.published)  # (migration 0003) lists sort by it

#: locality-sensitive hashing bands of each document's MinHash, to find near-duplicates
document_bands = Table(
    "document_bands", metadata,
    Column("hash", String(16), primary_key=True),  # first: lookups are by hash
    Column("band", Integer, primary_key=True),
    Column("document_id", String(32), ForeignKey("documents.id", ondelete="CASCADE"),
           primary_key=True),
)

entities = Table(
    "entities", metadata,
    Column("id", String(200), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("country", String(2)),
    Column("category", String(16)),
)

facts = Table(
    "facts", metadata,
    Column("id", String(32), primary_key=True),
    Column("document_id", String(32), ForeignKey("documents.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("type", String(32), nullable=False, index=True),
    Column("stage", String(16)),
    Column("kind", String(16)),
    Column("domain", String(16)),
    Column("factuality", String(16), nullable=False),
    Column("items", JSON, nullable=False),
    Column("designations", JSON, nullable=False),
    Column("quantities", JSON, nullable=False),
    Column("source", JSON, nullable=False),  # [{name, kind, country}] the text attributes it to
    Column("dates", JSON, nullable=False),  # date expressions of the evidence, as written
    Column("event_date", String(10)),  # the earliest of them resolved (YYYY, YYYY-MM or YYYY-MM-DD)
    Column("extractor_version", String(32), nullable=False),
    # the document's publication date, copied (migration 0004): lists of facts sort by it
    Column("published", String(10)),
)
Index("ix_facts_published_id", facts.c.published, facts.c.id)
Index("ix_facts_type_published_id", facts.c.type, facts.c.published, facts.c.id)

fact_roles = Table(
    "fact_roles", metadata,
    Column("fact_id", String(32), ForeignKey("facts.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(16), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("entity_id", String(200), ForeignKey("entities.id"), nullable=False, index=True),
    Column("mention", Text, nullable=False),
)

evidence = Table(
    "evidence", metadata,
    Column("fact_id", String(32), ForeignKey("facts.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
)

events = Table(
    "events", metadata,
    Column("id", String(32), primary_key=True),
    Column("type", String(32), nullable=False, index=True),
    Column("stage", String(16)),
    Column("kind", String(16)),
    Column("status", String(16), nullable=False),  # reported | possible | denied | contradicted
    Column("contradicted", Boolean, nullable=False),
    Column("items", JSON, nullable=False),
    Column("designations", JSON, nullable=False),
    Column("quantities", JSON, nullable=False),
    Column("stage_history", JSON, nullable=False),  # [{stage, first_reported}]
    Column("factuality", JSON, nullable=False),  # {asserted: n, possible: n, negated: n}
    Column("first_reported", String(10), index=True),
    Column("last_reported", String(10), index=True),  # index: migration 0003
    Column("event_dates", JSON, nullable=False),
    Column("documents", Integer, nullable=False),
    Column("stories", Integer, nullable=False),
    Column("sources", Integer, nullable=False),
    Column("facts", Integer, nullable=False),
)
# the register's default order, walked from the end (migration 0005)
Index("ix_events_type_order", events.c.type, events.c.last_reported, events.c.stories, events.c.id)
Index("ix_events_order", events.c.last_reported, events.c.stories, events.c.id)

event_roles = Table(
    "event_roles", metadata,
    Column("event_id", String(32), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(16), primary_key=True),
    Column("entity_id", String(200), ForeignKey("entities.id"), primary_key=True, index=True),
)

event_facts = Table(
    "event_facts", metadata,
    Column("event_id", String(32), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("fact_id", String(32), ForeignKey("facts.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)

runs = Table(
    "runs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("status", String(16), nullable=False),  # running | completed | failed
    Column("command", Text, nullable=False),
    Column("documents_added", Integer, nullable=False, default=0),
    Column("documents_extracted", Integer, nullable=False, default=0),
    Column("facts_added", Integer, nullable=False, default=0),
    Column("errors", Integer, nullable=False, default=0),
)

#: inputs that failed, one row per (input, reason); a rerun updates ``last_seen``
ingest_errors = Table(
    "ingest_errors", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(40), nullable=False, unique=True),  # sha1 of (stage, input)
    Column("input", Text, nullable=False),
    Column("stage", String(16), nullable=False),  # read | fetch | extract
    Column("reason", Text, nullable=False),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id")),
    Column("document_id", String(32), ForeignKey("documents.id", ondelete="SET NULL")),
)

feeds = Table(
    "feeds", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False, unique=True),
    Column("title", Text),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("added_at", DateTime(timezone=True), nullable=False),
    Column("last_polled_at", DateTime(timezone=True)),
    Column("last_status", String(32)),
    Column("last_error", Text),
)

feed_entries = Table(
    "feed_entries", metadata,
    Column("feed_id", Integer, ForeignKey("feeds.id", ondelete="CASCADE"), primary_key=True),
    Column("entry_key", String(40), primary_key=True),  # sha1 of entry_id: ids can be long URLs
    Column("entry_id", Text, nullable=False),
    Column("link", Text),
    Column("title", Text),
    Column("published", String(10)),
    Column("document_id", String(32), ForeignKey("documents.id", ondelete="SET NULL")),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)

#: named locks: ``SELECT ... FOR UPDATE`` on a row serialises work such as consolidation
locks = Table(
    "locks", metadata,
    Column("name", String(64), primary_key=True),
    Column("holder", Text),
)


# -- sanctions lists (migration 0002) ------------------------------------------------------

sanction_lists = Table(
    "sanction_lists", metadata,
    Column("name", String(64), primary_key=True),  # us_ofac_sdn, un_sc, eu_fsf, ...
    Column("title", Text, nullable=False),
    Column("format", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

#: each import of a list is a dated version; the newest is the one screened against
list_versions = Table(
    "list_versions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("list", String(64), ForeignKey("sanction_lists.name", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("published", String(10)),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("file_hash", String(64), nullable=False),
    Column("entry_count", Integer, nullable=False),
    Column("source_files", JSON, nullable=False),
    Column("format", String(16), nullable=False),
    Column("forced", Boolean, nullable=False),
    Column("warnings", JSON, nullable=False),
)

list_entries = Table(
    "list_entries", metadata,
    Column("version_id", Integer, ForeignKey("list_versions.id", ondelete="CASCADE"), primary_key=True),
    Column("entry_id", String(100), primary_key=True),
    Column("schema", String(16), nullable=False),
    Column("name", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("data", JSON, nullable=False),  # ListEntry.to_dict()
)

#: an actor from the reporting that screening found on a list
entity_matches = Table(
    "entity_matches", metadata,
    Column("entity_id", String(200), ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
    Column("list", String(64), primary_key=True),
    Column("entry_id", String(100), primary_key=True),
    Column("version_id", Integer, ForeignKey("list_versions.id", ondelete="CASCADE"), nullable=False),
    Column("score", Float, nullable=False),
    Column("matched_name", Text, nullable=False),
    Column("features", JSON, nullable=False),
    Column("explanation", Text, nullable=False),
    Column("screened_at", DateTime(timezone=True), nullable=False),
)

#: which entities have been screened against which set of list versions
screenings = Table(
    "screenings", metadata,
    Column("entity_id", String(200), ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
    Column("lists_key", String(64), nullable=False),  # hash of the version ids screened against
    Column("screened_at", DateTime(timezone=True), nullable=False),
)


# -- the store's generation (migration 0003) -----------------------------------------------

#: one row; every write transaction adds one to ``generation``, so readers (the API's
#: response cache) can tell cheaply whether anything changed, in any process
store_state = Table(
    "store_state", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("generation", Integer, nullable=False),
    # how documents' MinHash signatures were computed (migration 0004); see analysis/stories.py
    Column("minhash_version", Integer, nullable=False, server_default="1"),
)
