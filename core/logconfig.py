"""structlog set-up. Called once, by the CLI's entry point; library modules only call
``structlog.get_logger()``.

Logs go to standard error so that standard output carries only the result (JSON stays
parseable). The default level is WARNING; ``--verbose`` shows DEBUG with tracebacks.
Case answers and free text are never logged at INFO or above.
"""

from __future__ import annotations

import logging
import sys

import structlog


def configure(verbose: bool = False) -> None:
    level = logging.DEBUG if verbose else logging.WARNING
    renderer = (structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
                if sys.stderr.isatty() else structlog.processors.JSONRenderer())
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso"),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        # Loggers are not cached, so each event finds the current sys.stderr (test runners
        # swap it) and a later configure() takes effect.
        logger_factory=lambda *args: structlog.PrintLogger(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
