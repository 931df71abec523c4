"""Country names and codes as the lists write them, to ISO 3166-1 alpha-2.

OFAC writes "Korea, North" and "Burma", the UN "Democratic People's Republic of
Korea", the EU and FtM ISO codes. rigour's territory database knows all these
spellings (on the 2024 SDN file it misses only cities and regions such as
"Region: Crimea", which are no country anyway), so it is used rather than our
news vocabulary, whose YAML also costs two seconds to load. Historical
territories without a two-letter code (Serbia and Montenegro: ``csxx``) map to
nothing rather than to a guess among their successors.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rigour.territories import get_territory, lookup_territory

_ISO2 = re.compile(r"^[A-Za-z]{2}$")
#: what the lists write where they know of no country (FtM's ``zz``: global)
_NO_COUNTRY = {"none identified", "unknown", "stateless", "n/a", "none", "zz"}


@lru_cache(maxsize=4096)
def country_code(name: str | None) -> str | None:
    """The ISO alpha-2 code (upper case) of a country name or code, None if unknown."""
    if name is None:
        return None
    cleaned = " ".join(name.split()).strip(" .,;")
    if not cleaned or cleaned.lower() in _NO_COUNTRY:
        return None
    if _ISO2.match(cleaned):
        return cleaned.upper() if get_territory(cleaned.lower()) is not None else None
    territory = lookup_territory(cleaned)
    if territory is None or len(territory.code) != 2:
        return None
    return territory.code.upper()
