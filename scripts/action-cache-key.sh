#!/usr/bin/env bash
# The cache-key step of the dataplan-lint GitHub Action (action.yml): names the folder
# the result cache lives in for this job and the key actions/cache stores it under.
#
# The key is `dataplan-lint cache key`: the tool's version and a digest of the installed
# tool and of every configuration and ruleset the workspace's plans are checked under,
# so a new version or a configuration change starts a fresh cache. (Each entry inside
# also records the plan's bytes, the files it read and, where a waiver was judged, the
# date: a stale entry is a miss, never a pass.) When the key cannot be computed - a
# configuration the check itself will reject with its own message - the cache is
# skipped: this step never fails the job.
set -euo pipefail
set -f

config="${INPUT_CONFIG:-}"
lint="${DATAPLAN_LINT:-dataplan-lint}"
if [[ -n "${GITHUB_WORKSPACE:-}" ]]; then
  cd "$GITHUB_WORKSPACE"
fi

args=(cache key)
if [[ -n "$config" ]]; then
  args+=(--config "$config")
fi
key="$("$lint" "${args[@]}" -- . 2>/dev/null)" || key=""
if [[ ! "$key" =~ ^dataplan-lint-[0-9A-Za-z.+!-]+-[0-9a-f]+$ ]]; then
  echo "dataplan-lint: the result cache is skipped for this run (no cache key)"
  key=""
fi
if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  printf 'key=%s\n' "$key" >>"$GITHUB_OUTPUT"
  printf 'dir=%s\n' "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/dataplan-lint-cache" >>"$GITHUB_OUTPUT"
fi
