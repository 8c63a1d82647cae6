#!/usr/bin/env bash
# The install step of the dataplan-lint GitHub Action (action.yml): installs the
# package from the action's own checkout, or a released version when INPUT_VERSION is set.
set -euo pipefail

version="${INPUT_VERSION:-}"
python="${PYTHON:-python}"

if [[ -z "$version" ]]; then
  "$python" -m pip install --disable-pip-version-check --quiet -- "${GITHUB_ACTION_PATH:?}"
else
  if [[ ! "$version" =~ ^[0-9A-Za-z.+!-]+$ ]]; then
    echo "::error title=dataplan-lint::version must be a plain version number (got '${version//[$'\r\n']/ }')"
    exit 2
  fi
  "$python" -m pip install --disable-pip-version-check --quiet -- "dataplan-lint==${version}"
fi
dataplan-lint --version
