"""Pieces several benchmarks share: timing in turn against a baseline, bare reportlab."""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable, Iterable, Sequence


def medians_in_turn(fns: Sequence[Callable[[], object]], repeat: int) -> list[float]:
    """Median seconds of each function, run in turn ``repeat`` times so that a busy
    machine slows the measured code and its baseline alike."""
    samples: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, times in zip(fns, samples, strict=True):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return [statistics.median(times) for times in samples]


def bare_pdf(flowables: Iterable) -> bytes:
    """The baseline of the report benchmarks: reportlab's own template, no styling."""
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build(list(flowables))
    return buffer.getvalue()
