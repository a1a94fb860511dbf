"""Results -> what people and scripts open: frames, text, CSV, XLSX, JSON, SSSOM, RDF, OSCAL, CISO, HTML pages.

This package may import the core modules, :mod:`controlmap.graph`, :mod:`controlmap.queries`,
:mod:`controlmap.cycle` and the format constants of :mod:`controlmap.io`; it never takes a
``KnowledgeGraph`` and never runs a query. Every file it writes goes through
:mod:`controlmap.export.files` (atomic, no symbolic links followed).

>>> from controlmap.export import write_gaps
>>> write_gaps.__module__
'controlmap.export.writers'
"""

from __future__ import annotations

from typing import Any

__all__ = ["write_coverage", "write_gaps"]


def __getattr__(name: str) -> Any:  # PEP 562: the writers (and openpyxl) load on first use
    if name in __all__:
        from . import writers

        return getattr(writers, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
