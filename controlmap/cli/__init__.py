"""The ``controlmap`` command: argument parsing only; each command calls one workflow, prints and sets the exit code.

This package may import :mod:`controlmap.workflows` and the core modules; nothing imports it.
"""

from .main import main

__all__ = ["main"]
