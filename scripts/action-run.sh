#!/usr/bin/env bash
# The check step of the dataplan-lint GitHub Action (action.yml).
#
# Inputs arrive as environment variables (INPUT_*), never spliced into the script text,
# so a path or ref holding shell syntax stays data. Writes annotations and the text
# report to stdout, appends the job summary to $GITHUB_STEP_SUMMARY, writes SARIF to
# INPUT_SARIF_FILE and names it in $GITHUB_OUTPUT (`sarif-file`). The exit status is
# dataplan-lint's and nothing else: 0 clean, 1 findings at or above fail-on, 2 usage or
# input error. fail-on `none` runs dataplan-lint with --exit-zero, so the summary, the
# SARIF, the annotations and the step result are all decided by that one exit status
# (this script never rewrites it).
set -euo pipefail
set -f  # paths are taken literally: no glob expansion of the input

paths_input="${INPUT_PATHS:-.}"
config="${INPUT_CONFIG:-}"
base_ref="${INPUT_BASE_REF:-}"
fail_on="${INPUT_FAIL_ON:-error}"
sarif_file="${INPUT_SARIF_FILE:-dataplan-lint.sarif}"
changed_only="${INPUT_CHANGED_ONLY:-true}"
category="${INPUT_CATEGORY:-default}"
baseline="${INPUT_BASELINE:-}"
exclude_input="${INPUT_EXCLUDE:-}"
extra_input="${INPUT_ARGS:-}"
lint="${DATAPLAN_LINT:-dataplan-lint}"

# When the step stops before dataplan-lint could write its reports (a bad input of this
# action, or an option dataplan-lint rejects before it knows its outputs), it still
# leaves a SARIF run that did not succeed and a failed summary: a stale or missing SARIF
# uploaded with `if: always()` must never read as a clean run that closes open alerts.
# The text is fixed (no input is echoed into it); the step log has the details.
write_error_reports() {
  local sarif="$1"
  mkdir -p -- "$(dirname -- "$sarif")"
  cat >"$sarif" <<'SARIF'
{
  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
  "version": "2.1.0",
  "runs": [
    {
      "tool": {"driver": {"name": "dataplan-lint", "informationUri": "https://github.com/dataplan-lint/dataplan-lint", "rules": []}},
      "automationDetails": {"id": "dataplan-lint/usage-error/"},
      "invocations": [
        {
          "executionSuccessful": false,
          "exitCode": 2,
          "toolExecutionNotifications": [
            {"level": "error", "message": {"text": "dataplan-lint stopped on a usage error before checking any plan; see the step log."}}
          ]
        }
      ],
      "results": []
    }
  ]
}
SARIF
  if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
    printf '## dataplan-lint: ❌ error (the check did not complete; exit 2)\n\nA usage error stopped the check before any plan was read; see the step log.\n' >>"$GITHUB_STEP_SUMMARY"
  fi
}

if [[ -n "${GITHUB_WORKSPACE:-}" ]]; then
  cd "$GITHUB_WORKSPACE"
fi

# A list input: one item per line (spaces kept), or separated by spaces on one line.
split_list() {
  local input="$1" line
  items=()
  if [[ "$input" == *$'\n'* ]]; then
    while IFS= read -r line; do
      line="${line%$'\r'}"
      if [[ -n "${line//[[:space:]]/}" ]]; then
        items+=("$line")
      fi
    done <<<"$input"
  else
    read -r -a items <<<"$input" || true
  fi
}

split_list "$paths_input"
paths=("${items[@]+"${items[@]}"}")
if [[ ${#paths[@]} -eq 0 ]]; then
  paths=(.)
fi

threshold="$fail_on"
exit_zero=false
case "$fail_on" in
  error | warning | info) ;;
  "") threshold=error ;;
  none | never) threshold=error exit_zero=true ;;
  *)
    echo "::error title=dataplan-lint::fail-on must be error, warning, info or none (got '${fail_on//[$'\r\n']/ }')"
    write_error_reports "$sarif_file"
    exit 2
    ;;
esac

# changed-only: true = what the pull request caused (new against the base, or on changed
# lines); lines = the line filter alone; false = every finding of the checked plans.
case "$changed_only" in
  true) changed_flag=--changed-only ;;
  lines) changed_flag=--changed-lines-only ;;
  false | "") changed_flag="" ;;
  *)
    echo "::error title=dataplan-lint::changed-only must be true, lines or false"
    write_error_reports "$sarif_file"
    exit 2
    ;;
esac

args=(check --fail-on "$threshold" --sarif-category "$category")
args+=(--format text --output - --format github --output - --format sarif --output "$sarif_file")
if [[ "$exit_zero" == true ]]; then
  args+=(--exit-zero)
fi
if [[ -n "$config" ]]; then
  args+=(--config "$config")
fi
if [[ -n "$baseline" ]]; then
  args+=(--baseline "$baseline")
fi
split_list "$exclude_input"
for pattern in "${items[@]+"${items[@]}"}"; do
  args+=(--exclude "$pattern")
done
# `args`: extra options for `dataplan-lint check`, split on whitespace (no shell quoting,
# no expansion). Placed before the `--` that ends the options, so they stay options.
split_list "$extra_input"
args+=("${items[@]+"${items[@]}"}")
if [[ -n "$base_ref" ]]; then
  # The checkout may be shallow: fetch the base commit when it is missing.
  if ! git cat-file -e "${base_ref}^{commit}" 2>/dev/null; then
    git fetch --no-tags --depth=1 origin -- "$base_ref" >/dev/null 2>&1 || true
  fi
  args+=(--base "$base_ref")
  if [[ -n "$changed_flag" ]]; then
    args+=("$changed_flag")
  fi
fi

mkdir -p -- "$(dirname -- "$sarif_file")"
if [[ -f "$sarif_file" ]]; then
  rm -f -- "$sarif_file"  # a report left from an earlier run must never be uploaded
fi
status=0
"$lint" "${args[@]}" -- "${paths[@]}" || status=$?
if [[ $status -ne 0 && $status -ne 1 && ! -f "$sarif_file" ]]; then
  write_error_reports "$sarif_file"
fi

if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  printf 'sarif-file=%s\n' "$sarif_file" >>"$GITHUB_OUTPUT"
  printf 'exit-code=%s\n' "$status" >>"$GITHUB_OUTPUT"
fi
exit "$status"
