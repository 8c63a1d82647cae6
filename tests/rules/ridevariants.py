"""Single-defect variants and correct near-misses of the ride-trips example.

Each `Defect` is one realistic mistake a reviewer would block, written as text edits of
`examples/ride-trips/dataplan.yaml` (so every untouched line keeps its place), with the
rule that must report it and the line (and column) it must point at. Each `NearMiss` is a
correct plan that looks like a mistake and must get no finding at all.

Run as a script for the counts: `.venv/bin/python tests/rules/ridevariants.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ruleplans import check_text, edit, line_of, text_of

from dataplan_lint.core.findings import Finding

Edits = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Defect:
    name: str
    mistake: str  # what the author got wrong, as a reviewer would say it
    edits: Edits
    rule: str
    line_text: str
    col_text: str
    nth: int | None = None  # which line holding `line_text`, when it is not unique

    def text(self) -> str:
        return edit("ride", *self.edits)

    def place(self, text: str) -> tuple[int, int]:
        line = line_of(text, self.line_text, self.nth)
        return line, text.splitlines()[line - 1].index(self.col_text) + 1


@dataclass(frozen=True)
class NearMiss:
    name: str
    why_correct: str
    edits: Edits

    def text(self) -> str:
        return edit("ride", *self.edits)


# The line as the example states it (whatever figure it states: the edit replaces it).
PER_CONSUMER = next(
    line for line in text_of("ride").splitlines() if "per_consumer_throughput:" in line
)
PAYMENT_INPUT = "          key: [trip_id]\n          lateness: 5m"
LIVE = "      freshness: 5m\n      personal_data: masked\n      contract: trip_status"
PAYOUTS = "      retention: 400d\n      personal_data: pseudonymised\n      contract: driver_payout"
DIM = "      personal_data: pseudonymised\n      contract: dim_driver"
RESTORE = "      method: time-travel\n      retention: 35d"
ARCHIVE = "        until: 400d\n        price_per_gb_month: 0.0036\n        monthly: 31.25"
RAW = "      retention: 400d\n      personal_data: pseudonymised\n      description: Iceberg"
PAYOUT_CHECK = (
    "        error: 30h\n      severity: blocking\n      owner: team-mobility-data\n"
    "      schedule: hourly\n    - id: dim_drivers_freshness"
)
DIM_FRESHNESS_CHECK = (
    "    - id: dim_drivers_freshness\n      dataset: dim_drivers\n      kind: freshness\n"
    "      column: valid_from\n      threshold:\n        warn: 26h\n        error: 30h\n"
    "      severity: blocking\n      owner: team-mobility-data\n      schedule: hourly\n"
)
TRIP_DRIVER = "        classification: personal\n      - name: rider_id"
# The plan as the format was before per-dataset freshness: no `reads`, no layer freshness;
# the payout mart's contract lists no consumer of `context` (the dimension's lists
# finance), so only `measured_at` says where the plan-wide 5m SLO applies: the serving
# table, which the daily marts do not feed.
OLD_FORMAT: Edits = (
    ("      reads: [live_trip_status]\n", ""),
    ("      reads: [driver_payouts_daily, dim_drivers]\n", ""),
    ("      freshness: 5m\n      personal_data: masked", "      personal_data: masked"),
    (
        "      freshness: 30h\n      retention: 400d\n      personal_data: pseudonymised\n"
        "      contract: dim_driver",
        "      retention: 400d\n      personal_data: pseudonymised\n      contract: dim_driver",
    ),
    ("      freshness: 30h\n" + PAYOUTS, PAYOUTS),
    (
        "    consumers: [finance-payouts]\n    format: table\n    compatibility: BACKWARD\n"
        "    version: 1\n    versioning: integer\n    fields:\n      - name: payout_date",
        "    consumers: [team-finance-analytics]\n    format: table\n    compatibility: BACKWARD\n"
        "    version: 1\n    versioning: integer\n    fields:\n      - name: payout_date",
    ),
)

DEFECTS: list[Defect] = [
    # ---- the optional fields of issue 21 ---------------------------------------------
    Defect(
        "consumer-reads-typo",
        "the dashboard reads a dataset name that does not exist",
        (("reads: [live_trip_status]", "reads: [live_trip_state]"),),
        "DP140",
        "reads: [live_trip_state]",
        "live_trip_state",
    ),
    Defect(
        "join-input-typo",
        "the join's second input names a topic id that is not a source",
        (("        - source: payment_events", "        - source: payments"),),
        "DP340",
        "- source: payments",
        "payments",
    ),
    Defect(
        "join-key-not-in-contract",
        "the payment side joins on tripId, which the payment contract does not have",
        ((PAYMENT_INPUT, PAYMENT_INPUT.replace("trip_id", "tripId")),),
        "DP341",
        "key: [tripId]",
        "tripId",
    ),
    Defect(
        "join-state-too-short",
        "join state expires with the window, before a 5 minute late capture can match",
        (("      state_ttl: 1h\n      inputs:", "      state_ttl: 30m\n      inputs:"),),
        "DP342",
        "state_ttl: 30m",
        "30m",
        nth=1,
    ),
    Defect(
        "join-input-later-than-watermark",
        "payment captures arrive up to 15 minutes late; the watermark lets in 6",
        ((PAYMENT_INPUT, PAYMENT_INPUT.replace("5m", "15m")),),
        "DP343",
        "lateness: 15m",
        "15m",
    ),
    Defect(
        "join-key-count",
        "one side joins on (trip_id, payment_id), the other on trip_id",
        ((PAYMENT_INPUT, PAYMENT_INPUT.replace("[trip_id]", "[trip_id, payment_id]")),),
        "DP344",
        "key: [trip_id, payment_id]",
        "[trip_id, payment_id]",
    ),
    Defect(
        "dedupe-shorter-than-spread",
        "app retries resend events up to an hour later; the dedupe remembers 30 minutes",
        (("    spread: 10m", "    spread: 1h"),),
        "DP345",
        "      window: 30m",
        "30m",
        nth=0,
    ),
    Defect(
        "tier-cost-wrong",
        "the hot tier's monthly cost was copied from last year's budget",
        (("        monthly: 19.32", "        monthly: 45"),),
        "DP440",
        "monthly: 45",
        "45",
    ),
    Defect(
        "tier-ages-out-of-order",
        "the infrequent tier ends before the hot tier does",
        (("        until: 90d", "        until: 21d"),),
        "DP441",
        "until: 21d",
        "21d",
    ),
    Defect(
        "lifecycle-deletes-raw-early",
        "the archive tier expires after a year while the raw layer promises 400 days",
        ((ARCHIVE, ARCHIVE.replace("400d", "365d").replace("31.25", "27.72")),),
        "DP442",
        "      retention: 400d",
        "400d",
        nth=0,
    ),
    Defect(
        "serving-freshness-looser-than-dashboard",
        "the serving table promises 15 minutes; the dashboard reading it needs 5",
        ((LIVE, LIVE.replace("5m", "15m")),),
        "DP640",
        "freshness: 15m",
        "15m",
    ),
    Defect(
        "scd2-without-valid-to",
        "the SCD2 dimension never says when a version ends",
        (("        valid_to: valid_to\n", ""),),
        "DP641",
        "      history:",
        "history",
    ),
    Defect(
        "scd2-column-typo",
        "the history names effective_from; the contract's column is valid_from",
        (("        valid_from: valid_from", "        valid_from: effective_from"),),
        "DP642",
        "valid_from: effective_from",
        "effective_from",
    ),
    Defect(
        "scd2-merged-on-entity",
        "the SCD2 dimension merges on driver_id, overwriting every tier change",
        (("unique_key: [driver_id, valid_from]", "unique_key: [driver_id]"),),
        "DP643",
        "unique_key: [driver_id]",
        "[driver_id]",
    ),
    Defect(
        "classification-vs-pii",
        "driver_id is classified personal but flagged pii: false",
        ((TRIP_DRIVER, TRIP_DRIVER.replace("personal\n", "personal\n        pii: false\n")),),
        "DP750",
        "classification: personal",
        "personal",
        nth=0,
    ),
    Defect(
        "shadow-without-swap",
        "the backfill writes a shadow table but nothing swaps it in",
        (("    swap: atomic-rename", "    swap: none"),),
        "DP1040",
        "swap: none",
        "none",
    ),
    Defect(
        "shadow-is-live",
        "the 'shadow' backfill writes the live payout mart",
        (("table: finance.driver_payouts_daily_shadow", "table: driver_payouts_daily"),),
        "DP1041",
        "table: driver_payouts_daily",
        "driver_payouts_daily",
    ),
    Defect(
        "backfill-layer-typo",
        "the backfill says it rebuilds driver_payout_daily, which is no layer",
        (("    layer: driver_payouts_daily", "    layer: driver_payout_daily"),),
        "DP1044",
        "layer: driver_payout_daily",
        "driver_payout_daily",
    ),
    Defect(
        "time-travel-shorter-than-window",
        "time travel keeps 7 days; a rollback may come 30 days after cutover",
        ((RESTORE, RESTORE.replace("35d", "7d")),),
        "DP1042",
        "      retention: 7d",
        "7d",
    ),
    Defect(
        "rebuild-from-staging",
        "the rollback rebuilds from the streaming staging layer, which keeps nothing",
        ((RESTORE, "      method: rebuild-from-raw\n      from: stg_ride_events"),),
        "DP1043",
        "from: stg_ride_events",
        "stg_ride_events",
    ),
    Defect(
        "mart-keeps-pii-for-years",
        "the payout mart keeps pseudonymised driver ids for 7 years; compliance allows 400 days",
        ((PAYOUTS, PAYOUTS.replace("400d", "2555d")),),
        "DP1240",
        "retention: 2555d",
        "2555d",
    ),
    Defect(
        "serving-in-clear",
        "the dashboard table gains the rider id and keeps it in clear where masking is required",
        (
            (LIVE, LIVE.replace("masked", "clear")),
            (
                "      - name: city\n",
                "      - name: rider_id\n        type: string\n        nullable: true\n"
                "        default: null\n        classification: personal\n      - name: city\n",
            ),
        ),
        "DP1241",
        "personal_data: clear",
        "clear",
    ),
    Defect(
        "excluded-but-contract-personal",
        "the dimension claims personal data is excluded; its contract still has driver_id",
        ((DIM, DIM.replace("pseudonymised", "excluded")),),
        "DP1242",
        "personal_data: excluded",
        "excluded",
    ),
    # ---- rules that existed before, in the new domain -----------------------------
    Defect(
        "mart-check-looser-than-its-consumers",
        "the payout freshness check errors at 36h; finance needs the mart within 30h",
        ((PAYOUT_CHECK, PAYOUT_CHECK.replace("30h", "36h")),),
        "DP803",
        "error: 36h",
        "36h",
    ),
    Defect(
        "old-format-mart-check-looser-than-every-consumer",
        "in the old format, the payout check errors at 36h, later than even finance needs",
        (*OLD_FORMAT, (PAYOUT_CHECK, PAYOUT_CHECK.replace("30h", "36h"))),
        "DP803",
        "error: 36h",
        "36h",
    ),
    Defect(
        "old-format-staging-check-looser-than-slo",
        "in the old format, a freshness check on the staging stream that feeds the serving "
        "table errors at 10 minutes, past the 5 minute SLO",
        (
            *OLD_FORMAT,
            (
                "    - id: stg_duplicate_rate",
                "    - id: stg_freshness\n      dataset: stg_ride_events\n      kind: freshness\n"
                "      column: event_time\n      threshold: 10m\n      severity: error\n"
                "      owner: team-stream-processing\n      schedule: every 1m\n"
                "    - id: stg_duplicate_rate",
            ),
        ),
        "DP803",
        "      threshold: 10m",
        "10m",
        nth=0,
    ),
    Defect(
        "end-to-end-over-slo",
        "the latency budget's end-to-end target is 6 minutes against a 5 minute SLO",
        (("    end_to_end: 4m", "    end_to_end: 6m"),),
        "DP303",
        "end_to_end: 6m",
        "6m",
    ),
    Defect(
        "alert-after-end-to-end",
        "the latency alert fires at 5 minutes, after the 4 minute end-to-end target",
        (("    alert_at: 3m", "    alert_at: 5m"),),
        "DP304",
        "alert_at: 5m",
        "5m",
    ),
    Defect(
        "check-on-misspelt-dataset",
        "the payout freshness check names driver_payout_daily, a dataset that does not exist",
        (
            (
                "      dataset: driver_payouts_daily\n      kind: freshness",
                "      dataset: driver_payout_daily\n      kind: freshness",
            ),
        ),
        "DP802",
        "dataset: driver_payout_daily",
        "driver_payout_daily",
    ),
    Defect(
        "event-time-field-typo",
        "the event-time field is event_ts; the contracts call it event_time",
        (("event_time_field: event_time", "event_time_field: event_ts"),),
        "DP314",
        "event_time_field: event_ts",
        "event_ts",
    ),
    Defect(
        "layer-reads-misspelt-layer",
        "the joined layer reads stg_ride_event, which is no layer or source",
        (("      reads_from: [stg_ride_events]", "      reads_from: [stg_ride_event]"),),
        "DP602",
        "reads_from: [stg_ride_event]",
        "stg_ride_event",
    ),
    Defect(
        "dedupe-state-from-average",
        "dedupe state was sized from the average rate, not the peak",
        (("dedupe_state: 467MB", "dedupe_state: 117MB"),),
        "DP404",
        "dedupe_state: 117MB",
        "117MB",
    ),
    Defect(
        "backfill-beyond-replay-workflow",
        "the backfill replays 30 days; the replay workflow allows 3",
        (("    window: 3d\n    source: raw-layer", "    window: 30d\n    source: raw-layer"),),
        "DP1009",
        "    window: 30d",
        "30d",
        nth=0,
    ),
    Defect(
        "join-ignores-refunds",
        "the joined layer does not handle the refunds the payment source sends as corrections",
        (
            (
                "        unique_key: [trip_id]\n        handles: [late, duplicates, corrections]\n"
                "      description: Trips joined",
                "        unique_key: [trip_id]\n        handles: [late, duplicates]\n"
                "      description: Trips joined",
            ),
        ),
        "DP605",
        "handles: [late, duplicates]",
        "[late, duplicates]",
    ),
    Defect(
        "dimension-without-freshness-check",
        "the driver dimension finance reads has no freshness check",
        ((DIM_FRESHNESS_CHECK, ""),),
        "DP811",
        "  checks:",
        "checks",
    ),
]

# ---- relations the consistency rules of issue 21 (sections 1 and 3) weigh -----------
DEFECTS += [
    Defect(
        "lateness-profile-out-of-order",
        "the median lateness (30s) is later than the p99 (15s)",
        (("    p50: 1s\n    p99: 15s", "    p50: 30s\n    p99: 15s"),),
        "DP321",
        "p50: 30s",
        "30s",
    ),
    Defect(
        "dedupe-state-below-window",
        "dedupe state expires after 10 minutes while the window is 30",
        (("      window: 30m\n      state_ttl: 30m", "      window: 30m\n      state_ttl: 10m"),),
        "DP322",
        "state_ttl: 10m",
        "10m",
    ),
    Defect(
        "consumers-below-peak",
        "12 consumers at 500 events/s each cannot keep up with a 6,481/s peak",
        ((PER_CONSUMER, "    per_consumer_throughput: 500/s"),),
        "DP417",
        "per_consumer_throughput: 500/s",
        "500/s",
    ),
    Defect(
        "lookback-below-lateness",
        "the serving merge re-reads 2 minutes; events arrive up to 5 minutes late",
        (("        lookback: 1h", "        lookback: 2m"),),
        "DP618",
        "lookback: 2m",
        "2m",
    ),
    Defect(
        "check-column-not-in-contract",
        "the uniqueness check names trip_key; the trip_status contract has trip_id",
        (
            (
                "      kind: uniqueness\n      column: trip_id",
                "      kind: uniqueness\n      column: trip_key",
            ),
        ),
        "DP813",
        "column: trip_key",
        "trip_key",
    ),
    Defect(
        "checkpoint-alert-after-timeout",
        "the slow-checkpoint alert fires at 15 minutes; checkpoints time out at 10",
        (("      threshold: 5m\n      for: 10m", "      threshold: 15m\n      for: 10m"),),
        "DP911",
        "threshold: 15m",
        "15m",
        nth=0,
    ),
    Defect(
        "parallel-run-looser-than-acceptance",
        "the parallel run tolerates 0.5% while acceptance demands payouts within 0.1%",
        (("    tolerance: 0.1%\n  post_cutover:", "    tolerance: 0.5%\n  post_cutover:"),),
        "DP1111",
        "tolerance: 0.5%",
        "0.5%",
    ),
    Defect(
        "incident-before-page",
        "an incident is declared at 2 minutes of latency, before the 3 minute page",
        (
            (
                "    - metric: end_to_end_latency\n      threshold: 15m",
                "    - metric: end_to_end_latency\n      threshold: 2m",
            ),
        ),
        "DP1112",
        "threshold: 2m",
        "2m",
        nth=1,
    ),
]

NEAR_MISSES: list[NearMiss] = [
    NearMiss(
        "old-format-daily-mart",
        "in the old format, the 5m SLO is measured at the serving table; the daily marts do "
        "not feed it, so their 30h checks are bounded by what the slowest consumer needs",
        OLD_FORMAT,
    ),
    NearMiss(
        "daily-mart-held-to-its-readers",
        "with neither its own freshness nor a consumer's `reads`, the payout mart is held to "
        "what finance needs (its contract lists finance-payouts), 30h - not to the streaming "
        "path's 5 minute SLO",
        (
            ("      freshness: 30h\n" + PAYOUTS, PAYOUTS),
            ("      reads: [driver_payouts_daily, dim_drivers]\n", ""),
        ),
    ),
    NearMiss(
        "dedupe-equals-spread",
        "a dedupe window exactly as long as the duplicate spread covers it",
        (("    spread: 10m", "    spread: 30m"),),
    ),
    NearMiss(
        "join-state-exactly-enough",
        "join state of exactly window + the latest input's lateness keeps every match",
        (("      state_ttl: 1h\n      inputs:", "      state_ttl: 35m\n      inputs:"),),
    ),
    NearMiss(
        "input-lateness-at-watermark-bound",
        "an input exactly as late as the watermark delay plus allowed lateness is still joined",
        ((PAYMENT_INPUT, PAYMENT_INPUT.replace("5m", "6m")),),
    ),
    NearMiss(
        "scd2-on-surrogate-key",
        "an SCD2 dimension merging on a surrogate version key keeps its history",
        (("unique_key: [driver_id, valid_from]", "unique_key: [driver_key]"),),
    ),
    NearMiss(
        "mart-in-clear-where-allowed",
        "masking is required in serving layers only; a mart may keep personal data in clear",
        ((PAYOUTS, PAYOUTS.replace("pseudonymised", "clear")),),
    ),
    NearMiss(
        "serving-excludes-personal-data",
        "a serving layer whose contract has no personal field may say it excludes them",
        ((LIVE, LIVE.replace("masked", "excluded")),),
    ),
    NearMiss(
        "masked-dimension-keeps-its-column",
        "a dimension that masks driver ids may keep the redacted column, classified as received",
        ((DIM, DIM.replace("pseudonymised", "masked")),),
    ),
    NearMiss(
        "rollback-rebuilt-from-raw",
        "a rollback rebuilt from the immutable raw layer, which keeps 400 days",
        ((RESTORE, "      method: rebuild-from-raw\n      from: raw_ride_events"),),
    ),
    NearMiss(
        "backfill-upserts-the-mart-on-its-key",
        "a backfill that upserts the payout mart (`backfill.target.layer`) on the mart's own "
        "unique key is idempotent, whatever key the streaming sink uses: a rule weighing the "
        "idempotency key takes the target layer's key when the plan names one",
        (
            (
                "    strategy: overwrite-partition\n    key: [payout_date, driver_id]",
                "    strategy: upsert\n    key: [payout_date, driver_id]",
            ),
            (
                "        strategy: insert-overwrite\n        lookback: 3d",
                "        strategy: merge\n        unique_key: [payout_date, driver_id]\n"
                "        lookback: 3d",
            ),
        ),
    ),
    NearMiss(
        "shadow-in-another-schema",
        "a shadow table in its own schema may share the live table's name",
        (("table: finance.driver_payouts_daily_shadow", "table: shadow.driver_payouts_daily"),),
    ),
    NearMiss(
        "lifecycle-and-raw-shortened-together",
        "the archive tier and the raw layer both keep a year",
        (
            (ARCHIVE, ARCHIVE.replace("400d", "365d").replace("31.25", "27.72")),
            (RAW, RAW.replace("400d", "365d")),
        ),
    ),
]


def findings(text: str) -> list[Finding]:
    return check_text(text)


def detected(defect: Defect) -> tuple[bool, list[Finding]]:
    """Whether the defect's rule reports it at its line and column, and every finding."""
    text = defect.text()
    found = findings(text)
    place = defect.place(text)
    hit = any(f.rule_id == defect.rule and (f.line, f.col) == place for f in found)
    return hit, found


def main() -> int:
    hits = 0
    for defect in DEFECTS:
        hit, found = detected(defect)
        hits += hit
        others = sorted({f.rule_id for f in found} - {defect.rule})
        extra = f" (also {', '.join(others)})" if others else ""
        print(f"{'ok  ' if hit else 'MISS'} {defect.rule:7} {defect.name}{extra}")
    clean = 0
    for near in NEAR_MISSES:
        found = findings(near.text())
        clean += not found
        shown = ", ".join(sorted({f.rule_id for f in found}))
        print(
            f"{'ok  ' if not found else 'FP  '} clean   {near.name}{' ' + shown if found else ''}"
        )
    print(f"detected {hits}/{len(DEFECTS)} defects; {clean}/{len(NEAR_MISSES)} near-misses clean")
    return 0 if hits == len(DEFECTS) and clean == len(NEAR_MISSES) else 1


if __name__ == "__main__":
    raise SystemExit(main())
