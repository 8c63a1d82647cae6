#!/usr/bin/env bash
# The check step of the dataplan-lint GitHub Action (action.yml).
#
# Inputs arrive as environment variables (INPUT_*), never spliced into the script text,
# so a path or ref holding shell syntax stays data. Writes annotations and the text
# report to stdout, appends the job summary to $GITHUB_STEP_SUMMARY, writes SARIF to
# INPUT_SARIF_FILE and names it in $GITHUB_OUTPUT (`sarif-file`). The exit status is
# dataplan-lint's: 0 clean, 1 findings at or above fail-on, 2 usage or input error;
# with fail-on `none` findings never fail the step.
set -euo pipefail
set -f  # paths are taken literally: no glob expansion of the input

paths_input="${INPUT_PATHS:-.}"
config="${INPUT_CONFIG:-}"
base_ref="${INPUT_BASE_REF:-}"
fail_on="${INPUT_FAIL_ON:-error}"
sarif_file="${INPUT_SARIF_FILE:-dataplan-lint.sarif}"
changed_only="${INPUT_CHANGED_ONLY:-false}"
category="${INPUT_CATEGORY:-default}"
lint="${DATAPLAN_LINT:-dataplan-lint}"

if [[ -n "${GITHUB_WORKSPACE:-}" ]]; then
  cd "$GITHUB_WORKSPACE"
fi

# Paths: one per line (spaces kept), or separated by spaces on a single line.
paths=()
if [[ "$paths_input" == *$'\n'* ]]; then
  while IFS= read -r line; do
    line="${line%$'\r'}"
    [[ -n "${line//[[:space:]]/}" ]] && paths+=("$line")
  done <<<"$paths_input"
else
  read -r -a paths <<<"$paths_input" || true
fi
if [[ ${#paths[@]} -eq 0 ]]; then
  paths=(.)
fi

threshold="$fail_on"
case "$fail_on" in
  error | warning | info) ;;
  none | never | "") threshold=error ;;
  *)
    echo "::error title=dataplan-lint::fail-on must be error, warning, info or none (got '${fail_on//[$'\r\n']/ }')"
    exit 2
    ;;
esac

args=(check --fail-on "$threshold" --sarif-category "$category")
args+=(--format text --output - --format github --output - --format sarif --output "$sarif_file")
if [[ -n "$config" ]]; then
  args+=(--config "$config")
fi
if [[ -n "$base_ref" ]]; then
  # The checkout may be shallow: fetch the base commit when it is missing.
  if ! git cat-file -e "${base_ref}^{commit}" 2>/dev/null; then
    git fetch --no-tags --depth=1 origin -- "$base_ref" >/dev/null 2>&1 || true
  fi
  args+=(--base "$base_ref")
  if [[ "$changed_only" == "true" ]]; then
    args+=(--changed-only)
  fi
fi

mkdir -p -- "$(dirname -- "$sarif_file")"
status=0
"$lint" "${args[@]}" -- "${paths[@]}" || status=$?

if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  printf 'sarif-file=%s\n' "$sarif_file" >>"$GITHUB_OUTPUT"
  printf 'exit-code=%s\n' "$status" >>"$GITHUB_OUTPUT"
fi

if [[ $status -eq 1 && ( "$fail_on" == "none" || "$fail_on" == "never" ) ]]; then
  exit 0
fi
exit "$status"
