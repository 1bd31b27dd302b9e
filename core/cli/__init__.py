"""The ``inspect`` command line.

A run of ``inspect`` is a short-lived process that allocates many small objects while it
imports its libraries and reads catalogues and cases, and frees almost none of them: the
cyclic garbage collector's default thresholds (700 allocations for the youngest generation)
make it walk that growing heap again and again for nothing, about a twentieth of a run's
time (see ``bench/README.md``). The command line raises the first threshold before it
imports anything else, as mypy's command line does; collections still happen, just less
often. Only a process that imports this package is affected: the library's other modules
leave the collector alone.
"""

import gc

#: The collector's thresholds for the command line: (youngest, middle, oldest).
GC_THRESHOLDS = (100_000, 50, 100)

if gc.get_threshold()[0] < GC_THRESHOLDS[0]:
    gc.set_threshold(*GC_THRESHOLDS)

from .app import app, build_app, main  # noqa: E402  (after the collector is tuned)

__all__ = ["app", "build_app", "main"]
