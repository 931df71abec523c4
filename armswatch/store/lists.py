"""Sanctions lists in the store: versions, entries, diffs, and screening results.

Each import is a version of its list. An import is refused, leaving the store
as it was, when it would shrink the list by more than ``max_shrink`` (a
truncated download looks like a mass delisting) unless forced; importing
the same files twice is a no-op. Diffs compare record content hashes, not
the list's version numbers (the UN file does not bump them).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from armswatch.errors import ArmsWatchError
from armswatch.model import ListEntry
from armswatch.store import schema as t
from armswatch.store.store import Store, insert_ignore, now

DEFAULT_MAX_SHRINK = 0.25


class ListImportRefused(ArmsWatchError):
    """An import that would damage a list (e.g. shrink it by half); nothing was stored."""


@dataclass(frozen=True)
class ImportResult:
    list_name: str
    version_id: int
    entry_count: int
    previous_count: int | None
    created: bool  # False: these files were imported before
    warnings: tuple[str, ...] = ()


@dataclass
class ListDiff:
    list_name: str
    old_version: int
    new_version: int
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)  # {entry_id, name, fields: {f: [old, new]}}

    def to_dict(self) -> dict[str, Any]:
        return {"list": self.list_name, "old_version": self.old_version, "new_version": self.new_version,
                "added": self.added, "removed": self.removed, "changed": self.changed}


def import_version(store: Store, *, list_name: str, title: str, fmt: str, published: str | None,
                   entries: Sequence[ListEntry], source_files: Sequence[str], file_hash: str,
                   warnings: Sequence[str] = (), force: bool = False,
                   max_shrink: float = DEFAULT_MAX_SHRINK) -> ImportResult:
    """Store a new version of a list, or refuse (ListImportRefused) and store nothing."""
    unique: dict[str, ListEntry] = {}
    for entry in entries:
        unique.setdefault(entry.entry_id, entry)
    with store.transaction() as conn:
        latest = _latest(conn, list_name)
        if latest is not None and latest.file_hash == file_hash:
            return ImportResult(list_name, latest.id, latest.entry_count, latest.entry_count, False)
        if not unique and not force:
            raise ListImportRefused(f"{list_name}: the import has no entries; nothing was stored")
        previous = latest.entry_count if latest is not None else None
        if previous and not force and len(unique) < previous * (1 - max_shrink):
            raise ListImportRefused(
                f"{list_name}: the new file has {len(unique):,} entries against {previous:,} in the "
                f"stored version {latest.id if latest else ''} (a drop of "
                f"{1 - len(unique) / previous:.0%}, over the {max_shrink:.0%} allowed); a truncated "
                "or empty download looks like this. Nothing was stored; use --force if it is real.")
        insert_ignore(conn, t.sanction_lists, [{"name": list_name, "title": title, "format": fmt,
                                                "created_at": now()}], key=["name"])
        version_id = int(conn.execute(insert(t.list_versions).values(
            list=list_name, published=published, imported_at=now(), file_hash=file_hash,
            entry_count=len(unique), source_files=list(source_files), format=fmt, forced=force,
            warnings=list(warnings)).returning(t.list_versions.c.id)).scalar_one())
        rows = [{"version_id": version_id, "entry_id": e.entry_id, "schema": e.schema, "name": e.name,
                 "content_hash": e.content_hash, "data": e.to_dict()} for e in unique.values()]
        for i in range(0, len(rows), 2000):
            conn.execute(insert(t.list_entries), rows[i:i + 2000])
    return ImportResult(list_name, version_id, len(unique), previous, True, tuple(warnings))


def _latest(conn: Connection, list_name: str) -> Any:
    return conn.execute(select(t.list_versions).where(t.list_versions.c.list == list_name)
                        .order_by(t.list_versions.c.id.desc()).limit(1)).first()


def versions(store: Store, list_name: str | None = None) -> list[dict[str, Any]]:
    v = t.list_versions.c
    query = (select(t.list_versions, t.sanction_lists.c.title)
             .join(t.sanction_lists, t.sanction_lists.c.name == v.list).order_by(v.list, v.id))
    if list_name:
        query = query.where(v.list == list_name)
    with store.engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
    latest: dict[str, int] = {}
    for row in rows:
        latest[row["list"]] = row["id"]
    for row in rows:
        row["current"] = latest[row["list"]] == row["id"]
    return rows


def current_version_ids(conn: Connection) -> list[int]:
    v = t.list_versions.c
    return [int(i) for i in conn.execute(select(func.max(v.id)).group_by(v.list)).scalars()]


def current_entries(store: Store) -> list[tuple[int, ListEntry]]:
    """Every entry of the newest version of every list, with its version id."""
    with store.engine.connect() as conn:
        ids = current_version_ids(conn)
        rows = conn.execute(select(t.list_entries.c.version_id, t.list_entries.c.data)
                            .where(t.list_entries.c.version_id.in_(ids))
                            .order_by(t.list_entries.c.version_id, t.list_entries.c.entry_id)).all()
    return [(int(r.version_id), ListEntry.from_dict(r.data)) for r in rows]


def current_list_names(conn: Connection) -> list[str]:
    """The versions screened against, as ``list@version`` (e.g. ``us_ofac_sdn@3``)."""
    v = t.list_versions.c
    ids = current_version_ids(conn)
    if not ids:
        return []
    return [f"{r.list}@{r.id}" for r in conn.execute(select(v.list, v.id).where(v.id.in_(ids))
                                                        .order_by(v.list))]


def lists_key(conn: Connection) -> str:
    """Names the set of current versions: screening results hold for one key."""
    ids = sorted(current_version_ids(conn))
    return hashlib.sha1(",".join(map(str, ids)).encode()).hexdigest()


def diff(store: Store, list_name: str, old: int | None = None, new: int | None = None) -> ListDiff:
    """Entries added, removed and changed between two versions (default: the last two)."""
    with store.engine.connect() as conn:
        ids = [int(i) for i in conn.execute(select(t.list_versions.c.id)
                                            .where(t.list_versions.c.list == list_name)
                                            .order_by(t.list_versions.c.id)).scalars()]
        if not ids:
            raise ListImportRefused(f"no list named {list_name!r} in the store")
        if old is None or new is None:
            if len(ids) < 2:
                raise ListImportRefused(f"{list_name} has one version ({ids[0]}); nothing to compare")
            old, new = ids[-2], ids[-1]
        for version in (old, new):
            if version not in ids:
                raise ListImportRefused(f"{list_name} has no version {version} (versions: "
                                        f"{', '.join(map(str, ids))})")
        before = _hashes(conn, old)
        after = _hashes(conn, new)
        result = ListDiff(list_name, old, new)
        added = sorted(set(after) - set(before))
        removed = sorted(set(before) - set(after))
        changed = sorted(k for k in set(before) & set(after) if before[k][0] != after[k][0])
        result.added = [{"entry_id": k, "name": after[k][1]} for k in added]
        result.removed = [{"entry_id": k, "name": before[k][1]} for k in removed]
        if changed:
            old_data = _data(conn, old, changed)
            new_data = _data(conn, new, changed)
            for key in changed:
                fields = {f: [old_data[key].get(f), new_data[key].get(f)]
                          for f in sorted(set(old_data[key]) | set(new_data[key]))
                          if old_data[key].get(f) != new_data[key].get(f)}
                result.changed.append({"entry_id": key, "name": after[key][1], "fields": fields})
    return result


def _hashes(conn: Connection, version: int) -> dict[str, tuple[str, str]]:
    e = t.list_entries.c
    return {r.entry_id: (r.content_hash, r.name) for r in
            conn.execute(select(e.entry_id, e.content_hash, e.name).where(e.version_id == version))}


def _data(conn: Connection, version: int, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
    e = t.list_entries.c
    return {r.entry_id: r.data for r in conn.execute(
        select(e.entry_id, e.data).where(e.version_id == version, e.entry_id.in_(list(keys))))}


def save_screening(store: Store, key: str, results: dict[str, list[dict[str, Any]]]) -> None:
    """Replace the matches of the screened entities (entity id -> match rows)."""
    with store.transaction() as conn:
        ids = list(results)
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            conn.execute(delete(t.entity_matches).where(t.entity_matches.c.entity_id.in_(chunk)))
            conn.execute(delete(t.screenings).where(t.screenings.c.entity_id.in_(chunk)))
        stamp = now()
        rows = [{**m, "entity_id": eid, "screened_at": stamp} for eid, ms in results.items() for m in ms]
        if rows:
            conn.execute(insert(t.entity_matches), rows)
        if ids:
            conn.execute(insert(t.screenings), [{"entity_id": eid, "lists_key": key, "screened_at": stamp}
                                                for eid in ids])


def unscreened_entities(store: Store, key: str, *, kinds: Sequence[str]) -> list[dict[str, Any]]:
    """Entities of ``kinds`` not yet screened against the current list versions."""
    e, s = t.entities.c, t.screenings.c
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.entities).outerjoin(t.screenings, s.entity_id == e.id)
                            .where(e.kind.in_(list(kinds)))
                            .where((s.lists_key.is_(None)) | (s.lists_key != key))
                            .order_by(e.id)).all()
    return [dict(r._mapping) for r in rows]


def entity_sanctions(conn: Connection, entity_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """The list matches of each entity, best first, with list, programmes and listing date."""
    m, le = t.entity_matches.c, t.list_entries.c
    out: dict[str, list[dict[str, Any]]] = {}
    if not entity_ids:
        return out
    rows = conn.execute(
        select(t.entity_matches, le.data)
        .join(t.list_entries, (le.version_id == m.version_id) & (le.entry_id == m.entry_id))
        .where(m.entity_id.in_(list(entity_ids))).order_by(m.entity_id, m.score.desc(), m.entry_id)).all()
    for r in rows:
        out.setdefault(r.entity_id, []).append({
            "list": r.list, "entry_id": r.entry_id, "name": r.data["name"], "schema": r.data["schema"],
            "programs": r.data.get("programs", []), "listed_on": r.data.get("listed_on"),
            "score": round(float(r.score), 3), "matched_name": r.matched_name,
            "explanation": r.explanation, "features": r.features})
    return out


def sanctioned_entities(conn: Connection) -> list[dict[str, Any]]:
    """Every actor of the reporting found on a list, with its matches and fact count, the
    best-matched first."""
    ids = list(conn.execute(select(t.entity_matches.c.entity_id).distinct()).scalars())
    matches = entity_sanctions(conn, ids)
    entities = {r.id: dict(r._mapping) for r in conn.execute(
        select(t.entities).where(t.entities.c.id.in_(ids)))}
    counts = dict(conn.execute(
        select(t.fact_roles.c.entity_id, func.count(func.distinct(t.fact_roles.c.fact_id)))
        .where(t.fact_roles.c.entity_id.in_(ids)).group_by(t.fact_roles.c.entity_id)).tuples().all())
    out = [{**entities[i], "facts": int(counts.get(i, 0)), "matches": matches.get(i, [])}
           for i in ids if i in entities]
    return sorted(out, key=lambda a: (-max((m["score"] for m in a["matches"]), default=0), a["id"]))
