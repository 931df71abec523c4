"""Name screening against sanctions lists: normalise, find candidates, score, explain.

The public API::

    from armswatch.sanctions.matching import Query, ScreeningIndex, compare_names

    index = ScreeningIndex(entries)                 # ListEntry objects of any lists
    for match in index.screen(Query("Vladimir Putin", schema="Person", country="RU")):
        print(match.score, match.matched_name, match.explanation)
    compare_names("OAO Gazprom", "Open Joint Stock Company Gazprom", schema="Company")

How it works, module by module:

* :mod:`.normalise` -- any script to Latin ASCII, honorifics, legal forms,
  OFAC's ``LAST, First`` order (``normalise_name``, ``name_parts``);
* :mod:`.analysis` -- rigour's analysis of a name (parts, symbols), cached;
* :mod:`.parts` -- what a name part is (particle, legal form, number, word) and weighs;
* :mod:`.conventions` -- rules of naming traditions and scripts (``bin``, abjads, Hangul);
* :mod:`.names` -- part alignment: spelling, symbols, initials, order, fuzzy spelling;
* :mod:`.compare` -- name features and ``compare_names``, ``DEFAULT_THRESHOLD``;
* :mod:`.qualifiers` -- schema, country, date of birth, identifiers, weak aliases;
* :mod:`.candidates` -- the compact inverted index with phonetic and symbol expansion;
* :mod:`.index` -- ``ScreeningIndex``: candidates, scoring, grouping by entry;
* :mod:`.explain` -- the sentences behind every score.
"""

from armswatch.sanctions.matching.compare import DEFAULT_THRESHOLD, compare_names
from armswatch.sanctions.matching.index import ScreeningIndex
from armswatch.sanctions.matching.normalise import name_parts, normalise_name
from armswatch.sanctions.matching.results import Comparison, Feature, Match, Query

__all__ = ["DEFAULT_THRESHOLD", "Comparison", "Feature", "Match", "Query", "ScreeningIndex",
           "compare_names", "name_parts", "normalise_name"]
