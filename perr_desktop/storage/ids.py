"""Identifiers and timestamps shared by every record."""

from __future__ import annotations

import datetime as dt

# Reference records (QPV, vocabularies, PERR objectives) get ids derived from their code,
# so two laptops seeded separately agree on them and exchange packages merge cleanly.
REFERENCE_NAMESPACE = "6f1c8a52-3d0e-4f6b-9a41-2c7e5b9d0a13"

# ``uuid`` is imported on first use: it loads ``platform``, a few milliseconds of every
# start of the window, which creates no record before it has painted (issue 7).


def new_id() -> str:
    import uuid

    return str(uuid.uuid4())


def reference_id(kind: str, code: str) -> str:
    import uuid

    return str(uuid.uuid5(uuid.UUID(REFERENCE_NAMESPACE), f"{kind}:{code}"))


def now_utc() -> str:
    """The current time, UTC, ISO 8601 with microseconds: sorts as text."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
