"""The one way controlmap writes a file: to a unique temporary file in the same folder, then renamed into place.

A reader sees the old file or the new one, never half of one (a crash or SIGKILL mid-write leaves the
old file as it was, and at most a hidden ``.<name>.<random>.tmp`` beside it), and no write follows a
symbolic link planted where the file or its folder goes: the temporary name is unique (``mkstemp``,
created with O_EXCL) and the rename replaces a link itself, never the file it points to. The new file
keeps the permissions of the file it replaces (else the umask's). :func:`refuse_overwrite` stops a
command whose output is one of its inputs.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from ..errors import ExportError, OutputIsInputError

__all__ = ["atomic_path", "ensure_folder", "refuse_overwrite", "write_bytes", "write_text"]


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
    try:
        fd, name = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise ExportError(f"cannot write {p}: {err}") from err
    try:
        os.fchmod(fd, _mode_for(p))
    finally:
        os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if tmp.is_symlink():  # swapped while the block ran
            raise ExportError(f"{tmp}: the temporary file became a symbolic link; nothing written")
        os.replace(tmp, p)
        _sync_folder(folder)
    except OSError as err:
        raise ExportError(f"cannot write {p}: {err}") from err
    finally:
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()


def _mode_for(p: Path) -> int:
    """The permission bits the new file gets: those of the file it replaces, else 0666 less the umask."""
    try:
        return p.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (POSIX); a folder that cannot be opened for that is left as it is."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def refuse_overwrite(output: str | Path | None, *inputs: str | Path | None) -> None:
    """Raise :class:`OutputIsInputError` when ``output`` is the same file as one of ``inputs``.

    Same file means the same path once resolved, or the same file on disk (a hard link, another
    spelling). ``None`` entries (options not given) are skipped.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()); _ = (folder / "isheet.xlsx").write_bytes(b"x")
    >>> refuse_overwrite(folder / "new.xlsx", folder / "isheet.xlsx")
    >>> refuse_overwrite(folder / "." / "isheet.xlsx", None, folder / "isheet.xlsx")
    Traceback (most recent call last):
    ...
    controlmap.errors.OutputIsInputError: .../isheet.xlsx: the output is also an input ...
    """
    if output is None:
        return
    out = Path(output)
    for given in inputs:
        if given is None:
            continue
        source = Path(given)
        try:
            same = out.resolve() == source.resolve() or (out.exists() and source.exists() and out.samefile(source))
        except OSError:
            same = False
        if same:
            raise OutputIsInputError(f"{out}: the output is also an input ({source}); writing it would destroy "
                                     "the input. Give another output file")


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
