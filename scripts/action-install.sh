#!/usr/bin/env bash
# The install step of the dataplan-lint GitHub Action (action.yml): installs the
# package from the action's own checkout, or a released version when INPUT_VERSION is set.
set -euo pipefail

version="${INPUT_VERSION:-}"
version_file="${INPUT_VERSION_FILE:-}"
python="${PYTHON:-python}"

# version-file: the first `dataplan-lint` requirement in a requirements file or a
# pyproject.toml (`dataplan-lint==1.2.3`, `dataplan_lint>=1.2,<2`), as ruff-action does.
if [[ -z "$version" && -n "$version_file" ]]; then
  if [[ -n "${GITHUB_WORKSPACE:-}" && "$version_file" != /* ]]; then
    version_file="$GITHUB_WORKSPACE/$version_file"
  fi
  if [[ ! -f "$version_file" ]]; then
    echo "::error title=dataplan-lint::version-file does not exist or is not a file"
    exit 2
  fi
  spec="$(grep -m1 -oE "dataplan[-_]lint *(\[[a-z,]*\])? *[<>=!~]=?[ 0-9A-Za-z.*+!<>=~,-]*[0-9A-Za-z*]" -- "$version_file" | head -n1 || true)"
  spec="${spec#dataplan}"
  spec="${spec#[-_]lint}"
  spec="${spec//[[:space:]]/}"
  spec="${spec#\[*\]}"
  if [[ -z "$spec" || ! "$spec" =~ ^[\<\>=!~][0-9A-Za-z.*+!\<\>=~,-]+$ ]]; then
    echo "::error title=dataplan-lint::version-file names no dataplan-lint version (expected e.g. dataplan-lint==0.1.0)"
    exit 2
  fi
  echo "dataplan-lint${spec} (from the version file)"
  "$python" -m pip install --disable-pip-version-check --quiet -- "dataplan-lint${spec}"
  dataplan-lint --version
  exit 0
fi

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
