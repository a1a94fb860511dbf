#!/usr/bin/env bash
# Set up a virtual environment and run the main job on the shipped data (README's first command):
# candidate additional check items for the MIC 住基ネット checklist against JIS Q 15001 and the 統一基準.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
mkdir -p out
.venv/bin/controlmap validate
exec .venv/bin/controlmap gaps --source mic --against jisq15001 --against govt_unified_std -o out/candidates.xlsx
