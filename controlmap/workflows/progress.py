"""Progress bars for long work: tqdm on stderr, off when stderr is no terminal, shown in notebooks (tqdm.auto).

Lower layers never print: they take an optional callback, and a workflow turns it into a bar here. A bar opens
only for large work (``LOAD_ROWS`` mapping rows, ``GAPS_TARGETS`` target controls), so small runs stay silent.
``force=True`` or the environment ``CONTROLMAP_PROGRESS=1`` shows it whatever the size and stream;
``CONTROLMAP_PROGRESS=0`` hides it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import IO, Any

__all__ = ["GAPS_TARGETS", "LOAD_ROWS", "Progress", "wanted"]

LOAD_ROWS = 50_000
GAPS_TARGETS = 20_000
_OFF = {"0", "false", "no", "off"}


def _in_notebook() -> bool:
    shell = sys.modules.get("IPython")
    get = getattr(shell, "get_ipython", None)
    return get is not None and type(get()).__name__ == "ZMQInteractiveShell"


def wanted(size: int, threshold: int, force: bool | None = None, stream: IO[str] | None = None) -> bool:
    """Whether a bar is shown for work of ``size`` (rows, targets) against ``threshold``."""
    env = os.environ.get("CONTROLMAP_PROGRESS", "").strip().lower()
    if force is None and env:
        force = env not in _OFF
    if force is not None:
        return force
    if size < threshold:
        return False
    if _in_notebook():
        return True
    isatty = getattr(stream if stream is not None else sys.stderr, "isatty", None)
    return bool(isatty and isatty())


class Progress:
    """A bar opened on first use when ``wanted``; ``close`` ends it (a no-op when none was opened)."""

    def __init__(self, desc: str, unit: str, threshold: int, *, force: bool | None = None,
                 stream: IO[str] | None = None) -> None:
        self.desc, self.unit, self.threshold = desc, unit, threshold
        self.force, self.stream = force, stream
        self._bar: Any = None
        self._decided = False

    def start(self, total: int, size: int) -> None:
        """Open the bar for ``total`` steps if work of ``size`` wants one (decided once)."""
        if self._decided:
            return
        self._decided = True
        if not wanted(size, self.threshold, self.force, self.stream):
            return
        if _in_notebook():
            from tqdm.auto import tqdm
        else:
            from tqdm import tqdm
        self._bar = tqdm(total=total, desc=self.desc, unit=self.unit, file=self.stream or sys.stderr,
                         leave=False, dynamic_ncols=True)

    def update(self, steps: int = 1, **postfix: object) -> None:
        if self._bar is not None:
            if postfix:
                self._bar.set_postfix(postfix, refresh=False)
            self._bar.update(steps)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def on_mapping_file(self) -> Callable[[int, int, int], None]:
        """The loader's callback ``(files done, files in all, rows so far)``: the size is estimated from the
        first file (rows per file × files)."""
        def step(done: int, total: int, rows: int) -> None:
            self.start(total, rows * total // max(done, 1))
            self.update(1, rows=f"{rows:,}")
        return step

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
