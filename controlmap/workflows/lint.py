"""Lint curated mapping files (``controlmap lint-mappings``): read SSSOM files, run :mod:`controlmap.queries.lint`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from ..errors import DataError, Problem
from ..model import Catalog, MappingSet
from ..queries.lint import EQUAL_MIN_SIMILARITY, RULES, Finding, lint_sets

__all__ = ["EQUAL_MIN_SIMILARITY", "RULES", "Finding", "lint_files", "lint_paths"]


def lint_files(paths: Iterable[str | Path], catalog: Catalog, *,
               equal_min_similarity: float = EQUAL_MIN_SIMILARITY) -> list[Finding]:
    """Read SSSOM files (ids resolved against ``catalog``, not added to it) and lint them together."""
    from ..io.sssom import read_sssom, resolve_ids

    sets: list[MappingSet] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            ms, found = resolve_ids(read_sssom(path), catalog)
        except DataError as err:
            problems.extend(err.problems)
            continue
        problems.extend(found)
        sets.append(ms)
    if problems:
        raise DataError(problems)
    return lint_sets(sets, catalog, equal_min_similarity=equal_min_similarity)


def lint_paths(paths: Sequence[str | Path] = (), *, load: Iterable[str | Path] = (),
               equal_min_similarity: float | None = None) -> tuple[list[Finding], list[Path]]:
    """Lint ``paths`` (default: the shipped mapping files) against the shipped frameworks plus ``load``;
    returns the findings and the files linted."""
    from ..io.loader import default_data_dir, load_data_dir, load_files

    catalog = load_data_dir(include_mappings=False)
    extra = list(load)
    if extra:
        catalog = load_files(extra, catalog)
    files = [Path(p) for p in paths] or sorted((default_data_dir() / "mappings").glob("*.sssom.tsv"))
    threshold = EQUAL_MIN_SIMILARITY if equal_min_similarity is None else equal_min_similarity
    return lint_files(files, catalog, equal_min_similarity=threshold), files
