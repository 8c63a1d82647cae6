"""Position cases (and near-misses) for the rules on the optional fields of issue 21,
edited into the ride-trips example: per-dataset freshness, stream joins, duplicate
spread, history, personal data, storage tiers, backfill target and rollback restore.

Each gate's test module adds `RIDE_CASES[gate]` to its own `CASES` table.
"""

from __future__ import annotations

from rulecases import Case

PAYMENT_KEY = "          key: [trip_id]\n          lateness: 5m"
ARCHIVE = "        until: 400d\n        price_per_gb_month: 0.0036\n        monthly: 31.25"
RAW_RETENTION = (
    "      retention: 400d\n      personal_data: pseudonymised\n      description: Iceberg"
)
PAYOUTS_PRIVACY = (
    "      retention: 400d\n      personal_data: pseudonymised\n      contract: driver_payout"
)
DIM_PRIVACY = "      personal_data: pseudonymised\n      contract: dim_driver"
LIVE_PRIVACY = "      personal_data: masked\n      contract: trip_status"
LIVE_FRESHNESS = "      freshness: 5m\n" + LIVE_PRIVACY
OPS_FRESHNESS = "      freshness: 5m\n      critical: true\n      reads: [live_trip_status]"
TRIP_DRIVER_ID = "        classification: personal\n      - name: rider_id"
RESTORE = "      method: time-travel\n      retention: 35d"
PAYOUTS_CHECK = (
    "        warn: 26h\n        error: 30h\n      severity: blocking\n"
    "      owner: team-mobility-data\n      schedule: hourly\n    - id: dim_drivers_freshness"
)


def _ride(
    rule: str,
    edits: tuple[tuple[str, str], ...],
    line_text: str,
    col_text: str,
    near_miss: tuple[tuple[str, str], ...],
    nth: int | None = None,
) -> Case:
    return Case(rule, edits, line_text, col_text, near_miss, example="ride", nth=nth)


RIDE_CASES: dict[int, list[Case]] = {
    1: [
        _ride(
            "DP140",
            (("reads: [live_trip_status]", "reads: [live_trip_state]"),),
            "reads: [live_trip_state]",
            "live_trip_state",
            (("reads: [live_trip_status]", "reads: [live_trip_status, trip_status]"),),
        ),
    ],
    3: [
        _ride(
            "DP340",
            (("        - source: payment_events", "        - source: payments_events"),),
            "- source: payments_events",
            "payments_events",
            (("        - source: payment_events", "        - source: raw_ride_events"),),
        ),
        _ride(
            "DP341",
            ((PAYMENT_KEY, PAYMENT_KEY.replace("trip_id", "ride_id")),),
            "key: [ride_id]",
            "ride_id",
            ((PAYMENT_KEY, PAYMENT_KEY.replace("trip_id", "event_id")),),
        ),
        _ride(
            "DP342",
            (("      state_ttl: 1h\n      inputs:", "      state_ttl: 30m\n      inputs:"),),
            "state_ttl: 30m",
            "30m",
            (("      state_ttl: 1h\n      inputs:", "      state_ttl: 35m\n      inputs:"),),
            nth=1,
        ),
        _ride(
            "DP343",
            ((PAYMENT_KEY, PAYMENT_KEY.replace("5m", "10m")),),
            "lateness: 10m",
            "10m",
            ((PAYMENT_KEY, PAYMENT_KEY.replace("5m", "6m")),),
        ),
        _ride(
            "DP344",
            ((PAYMENT_KEY, PAYMENT_KEY.replace("[trip_id]", "[trip_id, payment_id]")),),
            "key: [trip_id, payment_id]",
            "[trip_id, payment_id]",
            ((PAYMENT_KEY, PAYMENT_KEY.replace("[trip_id]", "[payment_id]")),),
        ),
        _ride(
            "DP345",
            (("    spread: 10m", "    spread: 45m"),),
            "      window: 30m",
            "30m",
            (("    spread: 10m", "    spread: 30m"),),
            nth=0,
        ),
    ],
    4: [
        _ride(
            "DP440",
            (("        monthly: 19.32", "        monthly: 40"),),
            "monthly: 40",
            "40",
            (("        monthly: 19.32", "        monthly: 19.9"),),
        ),
        _ride(
            "DP441",
            (("        until: 90d", "        until: 20d"),),
            "until: 20d",
            "20d",
            (
                (
                    "        until: 90d\n        price_per_gb_month: 0.0125\n        monthly: 21",
                    "        until: 60d\n        price_per_gb_month: 0.0125\n        monthly: 10.5",
                ),
            ),
        ),
        _ride(
            "DP442",
            ((ARCHIVE, ARCHIVE.replace("400d", "365d").replace("31.25", "27.72")),),
            "      retention: 400d",
            "400d",
            (
                (ARCHIVE, ARCHIVE.replace("400d", "365d").replace("31.25", "27.72")),
                (RAW_RETENTION, RAW_RETENTION.replace("400d", "365d")),
            ),
            nth=0,
        ),
    ],
    6: [
        _ride(
            "DP640",
            ((LIVE_FRESHNESS, LIVE_FRESHNESS.replace("5m", "10m")),),
            "freshness: 10m",
            "10m",
            (
                (LIVE_FRESHNESS, LIVE_FRESHNESS.replace("5m", "10m")),
                (OPS_FRESHNESS, OPS_FRESHNESS.replace("5m", "10m")),
            ),
        ),
        _ride(
            "DP641",
            (("        valid_to: valid_to\n", ""),),
            "      history:",
            "history",
            (
                (
                    "        strategy: scd2",
                    "        strategy: snapshot\n        snapshot_column: valid_from",
                ),
            ),
        ),
        _ride(
            "DP642",
            (("        valid_to: valid_to", "        valid_to: valid_until"),),
            "valid_to: valid_until",
            "valid_until",
            (("        current_flag: is_current\n", ""),),
        ),
        _ride(
            "DP643",
            (("unique_key: [driver_id, valid_from]", "unique_key: [driver_id]"),),
            "unique_key: [driver_id]",
            "[driver_id]",
            (("unique_key: [driver_id, valid_from]", "unique_key: [driver_key]"),),
        ),
    ],
    7: [
        _ride(
            "DP750",
            (
                (
                    TRIP_DRIVER_ID,
                    TRIP_DRIVER_ID.replace("personal\n", "personal\n        pii: false\n"),
                ),
            ),
            "classification: personal",
            "personal",
            (
                (
                    TRIP_DRIVER_ID,
                    TRIP_DRIVER_ID.replace("personal\n", "personal\n        pii: true\n"),
                ),
            ),
            nth=0,
        ),
    ],
    8: [
        # a daily mart's freshness check is held to the mart's own 30h, not the 5m SLO
        _ride(
            "DP803",
            ((PAYOUTS_CHECK, PAYOUTS_CHECK.replace("error: 30h", "error: 36h")),),
            "error: 36h",
            "36h",
            ((PAYOUTS_CHECK, PAYOUTS_CHECK.replace("error: 30h", "error: 29h")),),
        ),
    ],
    10: [
        _ride(
            "DP1040",
            (("    swap: atomic-rename", "    swap: none"),),
            "swap: none",
            "none",
            (("    swap: atomic-rename", "    swap: view-switch"),),
        ),
        _ride(
            "DP1041",
            (("table: finance.driver_payouts_daily_shadow", "table: driver_payouts_daily"),),
            "table: driver_payouts_daily",
            "driver_payouts_daily",
            (("table: finance.driver_payouts_daily_shadow", "table: driver_payouts_daily_v2"),),
        ),
        _ride(
            "DP1042",
            ((RESTORE, RESTORE.replace("35d", "7d")),),
            "      retention: 7d",
            "7d",
            ((RESTORE, RESTORE.replace("35d", "30d")),),
        ),
        _ride(
            "DP1044",
            (("    layer: driver_payouts_daily", "    layer: driver_payout_daily"),),
            "layer: driver_payout_daily",
            "driver_payout_daily",
            (("    layer: driver_payouts_daily", "    layer: dim_drivers"),),
        ),
        _ride(
            "DP1043",
            ((RESTORE, "      method: rebuild-from-raw\n      from: stg_ride_events"),),
            "from: stg_ride_events",
            "stg_ride_events",
            ((RESTORE, "      method: rebuild-from-raw\n      from: raw_ride_events"),),
        ),
    ],
    12: [
        _ride(
            "DP1240",
            ((PAYOUTS_PRIVACY, PAYOUTS_PRIVACY.replace("400d", "2555d")),),
            "retention: 2555d",
            "2555d",
            ((PAYOUTS_PRIVACY, PAYOUTS_PRIVACY.replace("400d", "365d")),),
        ),
        _ride(
            "DP1241",
            (
                ("    mask_in: [serving]", "    mask_in: [serving, mart]"),
                (PAYOUTS_PRIVACY, PAYOUTS_PRIVACY.replace("pseudonymised", "clear")),
            ),
            "personal_data: clear",
            "clear",
            ((PAYOUTS_PRIVACY, PAYOUTS_PRIVACY.replace("pseudonymised", "clear")),),
        ),
        _ride(
            "DP1242",
            ((DIM_PRIVACY, DIM_PRIVACY.replace("pseudonymised", "excluded")),),
            "personal_data: excluded",
            "excluded",
            ((LIVE_PRIVACY, LIVE_PRIVACY.replace("masked", "excluded")),),
        ),
    ],
}
