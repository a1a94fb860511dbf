"""Write a copy of a scope file that a controlmap without responsibility/merge support can read.

Usage: python tools/scope_compat.py data/scope/juki_net.yaml OUT.yaml

Drops the top-level keys default_responsibility, responsibilities and merge and the per-entry key
responsibility; everything else (ids, reasons, dates) is kept. A stop-gap for running the current code
on the shipped scope until the loader reads these fields; never used at run time.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

NEW_TOP = ("default_responsibility", "responsibilities", "merge")
NEW_ITEM = ("responsibility",)


def main(src: str, out: str) -> None:
    doc = yaml.safe_load(Path(src).read_text(encoding="utf-8"))
    for key in NEW_TOP:
        doc.pop(key, None)
    for entry in doc.get("not_applicable") or []:
        for key in NEW_ITEM:
            entry.pop(key, None)
    Path(out).write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:3])
