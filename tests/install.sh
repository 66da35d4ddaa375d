#!/usr/bin/env bash
# Installs everything the test suite needs: the package with its test extras, and
# Debian's chromium for the report's browser test (skipped where apt-get cannot run).
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet --disable-pip-version-check -e ".[test]"
# Build the lemma look-up cache once (about 30 s), not inside the first test that analyses.
python -c "from compare.analysis.text import warm_lemmatizer; warm_lemmatizer(['en', 'fr', 'pl', 'no'])"
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium for the browser tests..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "warning: could not install chromium; browser tests will skip (fail under CI)"
  else
    echo "note: chromium is not installed and this user cannot apt-get it; browser tests will skip"
  fi
fi
