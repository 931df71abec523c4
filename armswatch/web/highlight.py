"""Evidence highlighting: document text with the spans that facts rest on marked.

Document text is hostile input. Every piece of it is escaped here, segment by
segment, and joined with this module's own tags; these functions are the only
place in the web UI that returns :class:`~markupsafe.Markup` built from data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

#: characters of context shown each side of an evidence sentence
CONTEXT = 100


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    fact_id: str
    negated: bool = False


def _attr(value: str) -> str:
    """An attribute value, escaped (quotes included)."""
    return str(escape(value))


def locate(text: str, evidence: Mapping[str, Any]) -> tuple[int, int] | None:
    """Where an evidence span is in ``text``: its offsets if they slice out its text, else
    the first place its text occurs, else None."""
    start, end, quote = evidence.get("start"), evidence.get("end"), evidence.get("text") or ""
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text) \
            and (not quote or text[start:end] == quote):
        return start, end
    if quote:
        found = text.find(quote)
        if found >= 0:
            return found, found + len(quote)
    return None


def fact_spans(text: str, facts: Iterable[Mapping[str, Any]]) -> list[Span]:
    """Every evidence span of ``facts`` that can be placed in ``text``."""
    spans = []
    for fact in facts:
        for ev in fact.get("evidence") or []:
            where = locate(text, ev)
            if where is not None:
                spans.append(Span(where[0], where[1], str(fact["id"]),
                                  fact.get("factuality") == "negated"))
    return spans


def highlight(text: str, spans: Sequence[Span]) -> Markup:
    """``text`` with every span marked; overlapping and nested spans are split into segments.

    Each segment covered by spans becomes ``<mark class="evidence" id="seg-N"
    data-fact="ID ID..">`` (the ids of the facts covering it), linking to the first
    fact's entry (``#fact-ID``). Before the first segment of each fact's first span
    an empty ``<span class="anchor" id="ev-ID">`` marks where its evidence starts.
    """
    if not spans:
        return Markup(escape(text))
    bounds = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    anchors: dict[int, list[str]] = {}
    seen: set[str] = set()
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if span.fact_id not in seen:
            seen.add(span.fact_id)
            anchors.setdefault(span.start, []).append(span.fact_id)
    parts: list[str] = []
    for n, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False)):
        for fact_id in anchors.get(a, []):
            parts.append(f'<span class="anchor" id="ev-{_attr(fact_id)}"></span>')
        segment = str(escape(text[a:b]))
        covering = [s for s in spans if s.start <= a and s.end >= b]
        if not covering:
            parts.append(segment)
            continue
        ids = list(dict.fromkeys(s.fact_id for s in covering))
        classes = ["evidence"]
        if len(ids) > 1:
            classes.append("nested")
        if any(s.negated for s in covering):
            classes.append("negated")
        parts.append(f'<mark class="{" ".join(classes)}" id="seg-{n}" data-fact="{_attr(" ".join(ids))}">'
                     f'<a class="evidence-link" href="#fact-{_attr(ids[0])}">{segment}</a></mark>')
    return Markup("".join(parts))


def _snap_start(text: str, pos: int) -> int:
    if pos <= 0:
        return 0
    space = text.find(" ", pos, pos + 20)
    return space + 1 if space >= 0 else pos


def _snap_end(text: str, pos: int) -> int:
    if pos >= len(text):
        return len(text)
    space = text.rfind(" ", pos - 20, pos)
    return space if space >= 0 else pos


def in_context(text: str | None, evidence: Mapping[str, Any], fact_id: str,
               *, width: int = CONTEXT) -> Markup:
    """An evidence sentence with ~``width`` characters of its document either side.

    The ``<mark class="evidence" data-fact="ID">`` holds exactly the evidence text.
    """
    quote = str(evidence.get("text") or "")
    where = locate(text, evidence) if text else None
    mark = f'<mark class="evidence" data-fact="{_attr(fact_id)}">'
    if text is None or where is None:
        return Markup(f"{mark}{escape(quote)}</mark>")
    start, end = where
    lo, hi = _snap_start(text, start - width) if start > width else 0, \
        _snap_end(text, end + width) if end + width < len(text) else len(text)
    lo, hi = min(lo, start), max(hi, end)
    before, span, after = text[lo:start], text[start:end], text[end:hi]
    return Markup("".join([
        "… " if lo > 0 else "", str(escape(before)), mark, str(escape(span)), "</mark>",
        str(escape(after)), " …" if hi < len(text) else ""]))
