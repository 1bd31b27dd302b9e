"""The ``inspect`` command line."""

from .app import app, build_app, main

__all__ = ["app", "build_app", "main"]
