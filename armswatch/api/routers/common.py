"""Query parameters shared by the list endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

Limit = Annotated[int, Query(ge=1, le=500, description="records per page (1-500)")]
Offset = Annotated[int, Query(ge=0, description="records to skip")]
IsoDate = Annotated[str | None, Query(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$",
                                      description="YYYY, YYYY-MM or YYYY-MM-DD")]
Actor = Annotated[str | None, Query(min_length=1, max_length=200,
                                    description="ISO code, name, alias, demonym or entity id")]
