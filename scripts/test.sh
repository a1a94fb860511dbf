#!/usr/bin/env bash
# Set up a virtual environment and run the whole test suite (README's second command).
set -euo pipefail
cd "$(dirname "$0")/.."
# nginx (Debian) for the shared-server proxy test (tests/test_store_proxy.py); installed only when missing
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    # keep the package from starting a system-wide nginx: the test starts its own on 127.0.0.1
    made_policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
    fi
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null \
      || echo "scripts/test.sh: installing nginx failed; the proxy test will be skipped" >&2
    if [ -n "$made_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi
  else
    echo "scripts/test.sh: nginx missing and cannot be installed here; the proxy test will be skipped" >&2
  fi
fi
# Virtuoso 7 (Debian) as a second SPARQL 1.1 server for the interop tests (tests/servers/virtuoso.py); installed only when missing
if ! command -v virtuoso-t >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    # keep the package from starting a system-wide Virtuoso: the tests start their own on 127.0.0.1
    made_policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
    fi
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends virtuoso-opensource >/dev/null \
      || echo "scripts/test.sh: installing virtuoso-opensource failed; the Virtuoso tests will be skipped" >&2
    if [ -n "$made_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi
  else
    echo "scripts/test.sh: virtuoso-opensource missing and cannot be installed here; the Virtuoso tests will be skipped" >&2
  fi
fi
# Chromium, its driver and a CJK font (Debian) for the browser tests (tests/test_browser.py); installed only when missing
viz_missing=()
command -v chromium >/dev/null 2>&1 || viz_missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || viz_missing+=(chromium-driver)
dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q "install ok installed" || viz_missing+=(fonts-noto-cjk)
if [ ${#viz_missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${viz_missing[@]}" >/dev/null
  else
    echo "scripts/test.sh: ${viz_missing[*]} missing and cannot be installed here; the browser tests will be skipped" >&2
  fi
fi
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
# other people's files that a package registry publishes (tests/fixtures/external/REGISTRY.csv), pinned and
# hash-checked, into .cache/external for tests/external; never fails the run (those tests skip, saying why)
.venv/bin/python scripts/external_fixtures.py .cache/external \
  || echo "scripts/test.sh: scripts/external_fixtures.py failed; the tests that need those files will skip" >&2
if [ -z "${CONTROLMAP_EXTERNAL_FIXTURES:-}" ] && [ ! -d ../shared/external ]; then
  export CONTROLMAP_EXTERNAL_FIXTURES="$PWD/.cache/external"
fi
# lint and types on the whole tree (config in pyproject.toml), then the tests
.venv/bin/ruff check .
.venv/bin/mypy
exec .venv/bin/python -m pytest -q
