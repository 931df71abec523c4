"""Totals of filtered lists, kept while the store is unchanged.

Paging through a list asks for the same total on every page; counting can
cost more than fetching the page (all facts involving Russia, say). A total
is kept per filter (paging aside) and per store generation, so any write
makes every total be counted again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from sqlalchemy import Connection

from armswatch.store import Store


class Totals:
    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._data: OrderedDict[tuple[int, Hashable], int] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, store: Store, key: Hashable, count: Callable[[], int], *,
            conn: Connection | None = None) -> int:
        """The total for ``key`` under the store's current generation, counted once.

        ``conn``: the connection the caller holds (the generation is read through it).
        """
        entry = (store.generation(conn), key)
        with self._lock:
            if entry in self._data:
                self._data.move_to_end(entry)
                return self._data[entry]
        value = count()
        with self._lock:
            self._data[entry] = value
            while len(self._data) > self.size:
                self._data.popitem(last=False)
        return value
