"""The one way controlmap writes a file: to a unique temporary file in the same folder, then renamed into place.

A reader sees the old file or the new one, never half of one (a crash or SIGKILL mid-write leaves the
old file as it was), and no write follows a symbolic link planted where the file or its folder goes.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from ..errors import ExportError

__all__ = ["atomic_path", "ensure_folder", "write_bytes", "write_text"]


def ensure_folder(folder: str | Path) -> Path:
    """Create ``folder`` (and its parents) unless it exists; refuse a folder that is a symbolic link.

    >>> import tempfile, pathlib
    >>> ensure_folder(pathlib.Path(tempfile.mkdtemp()) / "out").is_dir()
    True
    """
    p = Path(folder)
    if p.is_symlink():
        raise ExportError(f"{p}: refusing to write into a folder that is a symbolic link")
    try:
        p.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ExportError(f"cannot create {p}: {err}") from err
    return p


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path``; when the block ends without error it replaces ``path`` at once.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("new")
    >>> target.read_text()
    'new'
    """
    p = Path(path)
    if p.is_symlink():
        raise ExportError(f"{p}: refusing to write through a symbolic link")
    if p.is_dir():
        raise ExportError(f"{p}: is a folder; give a file name")
    folder = ensure_folder(p.parent if str(p.parent) else Path("."))
    fd, name = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, p)
    except OSError as err:
        raise ExportError(f"cannot write {p}: {err}") from err
    finally:
        if tmp.exists():
            tmp.unlink()


def _write(path: str | Path, opener: Callable[[Path], IO], data: str | bytes) -> Path:
    with atomic_path(path) as tmp, opener(tmp) as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return Path(path)


def write_text(path: str | Path, text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (``encoding="utf-8-sig"`` for CSV that Excel opens); returns the path.

    >>> import tempfile, pathlib
    >>> write_text(pathlib.Path(tempfile.mkdtemp()) / "x" / "a.csv", "id\\n", encoding="utf-8-sig").read_bytes()
    b'\\xef\\xbb\\xbfid\\n'
    """
    return _write(path, lambda p: open(p, "w", encoding=encoding, newline=""), text)


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; returns the path."""
    return _write(path, lambda p: open(p, "wb"), data)
