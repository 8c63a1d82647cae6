"""The questions `init` asks, their defaults per template, and the answers they produce.

Eight questions, the ones a data engineer asks before planning a pipeline. Each has one
to four short prompts with a default, so pressing Enter through all of them still gives a
complete plan. In one-shot mode nobody is asked: the defaults are used and each question's
answer is written down as an assumption whose owner is a placeholder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any

from dataplan_lint.compat.classify import MODES
from dataplan_lint.core import quantities, regexes

TEMPLATES = ("streaming", "cdc", "batch")
CORRECTIONS = ("none", "restatement", "compensating-event", "cdc-update", "late-file")
COMPATIBILITY = tuple(mode for mode in MODES if mode != "NONE")  # what `init` offers
TIME_BASES = ("event-time", "processing-time")
PLACEHOLDER_OWNER = "TBD"

_IDENTIFIER = regexes.IDENTIFIER.compile()
_FIELD_NAME = regexes.FIELD_NAME.compile()
_OWNER = regexes.OWNER.compile()


@dataclass(frozen=True, slots=True)
class Answers:
    """Everything the templates need to know; one field per prompt."""

    name: str
    owner: str
    decision: str
    consumer: str
    source_system: str
    source_owner: str
    time: str
    event_time_field: str
    freshness_slo: str
    lateness_p99: str
    lateness_max: str
    duplicates: bool
    corrections: str
    compatibility: str
    deprecation_window: str
    events_per_day: str
    peak_factor: float
    bytes_per_event: str
    growth_per_year: float
    on_call: str
    monthly_budget: float
    retention: str
    duplicate_spread: str = "10m"
    personal_data: bool = False
    personal_retention: str = "400d"
    residency: str = "EU"

    def slo_seconds(self) -> float:
        return quantities.seconds(self.freshness_slo)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


DEFAULTS: dict[str, Answers] = {
    "streaming": Answers(
        name="clickstream-metrics",
        owner="team-data-platform",
        decision="Live conversion and session metrics that decide go/no-go on launches",
        consumer="team-product-insights",
        source_system="Kafka topic app.clickstream.v1",
        source_owner="team-web-collector",
        time="event-time",
        event_time_field="event_time",
        freshness_slo="5m",
        lateness_p99="20s",
        lateness_max="6h",
        duplicates=True,
        corrections="none",
        compatibility="BACKWARD_TRANSITIVE",
        deprecation_window="90d",
        events_per_day="200M",
        peak_factor=3.0,
        bytes_per_event="1KB",
        growth_per_year=0.4,
        on_call="team-data-platform",
        monthly_budget=4000.0,
        retention="7d",
    ),
    "cdc": Answers(
        name="orders-replica",
        owner="team-commerce-data",
        decision="Intraday revenue and order status figures for finance",
        consumer="team-finance-analytics",
        source_system="PostgreSQL orders-db (public.orders) via Debezium",
        source_owner="team-checkout",
        time="event-time",
        event_time_field="updated_at",
        freshness_slo="1h",
        lateness_p99="2m",
        lateness_max="2d",
        duplicates=True,
        corrections="cdc-update",
        compatibility="BACKWARD",
        deprecation_window="60d",
        events_per_day="20M",
        peak_factor=4.0,
        bytes_per_event="1.5KB",
        growth_per_year=0.25,
        on_call="team-commerce-data",
        monthly_budget=2500.0,
        retention="14d",
    ),
    "batch": Answers(
        name="partner-sales-daily",
        owner="team-sales-data",
        decision="Daily partner sales report used for commission payouts",
        consumer="team-sales-ops",
        source_system="Nightly CSV export from the partner portal to s3://partner-exports",
        source_owner="team-partner-portal",
        time="event-time",
        event_time_field="sold_at",
        freshness_slo="1d",
        lateness_p99="2h",
        lateness_max="7d",
        duplicates=True,
        corrections="restatement",
        compatibility="BACKWARD",
        deprecation_window="90d",
        events_per_day="5M",
        peak_factor=1.5,
        bytes_per_event="400B",
        growth_per_year=0.2,
        on_call="team-sales-data",
        monthly_budget=1500.0,
        retention="30d",
        duplicate_spread="1d",
    ),
}


# --- validation of typed-in answers ----------------------------------------------------


class AnswerError(ValueError):
    """An answer that does not fit; the message says what is expected."""


def _identifier(raw: str) -> str:
    value = raw.strip()
    if not _IDENTIFIER.match(value):
        raise AnswerError("use lowercase letters, digits, '_', '.' or '-', starting with a letter")
    return value


def _owner(raw: str) -> str:
    value = raw.strip()
    if not _OWNER.match(value):
        raise AnswerError("give a team slug such as team-data-platform or an e-mail address")
    return value


def _text(raw: str) -> str:
    value = " ".join(raw.split())
    if not value:
        raise AnswerError("please write a few words")
    return value


def _field_name(raw: str) -> str:
    value = raw.strip()
    if not _FIELD_NAME.match(value):
        raise AnswerError("a field name uses lowercase letters, digits and '_'")
    return value


def _quantity(kind: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = raw.strip()
        try:
            parsed = quantities.parse(kind, value)
        except quantities.QuantityError as exc:
            raise AnswerError(f"expected {quantities.EXPECTED[kind]}") from exc
        if parsed.value <= 0:
            raise AnswerError(f"must be more than zero; expected {quantities.EXPECTED[kind]}")
        return value

    return parse


def _number(low: float, high: float, what: str) -> Callable[[str], float]:
    def parse(raw: str) -> float:
        try:
            value = float(raw.strip().rstrip("x"))
        except ValueError:
            raise AnswerError(f"expected {what}") from None
        if not low <= value <= high:
            raise AnswerError(f"expected {what} between {low:g} and {high:g}")
        return value

    return parse


def _fraction(raw: str) -> float:
    text = raw.strip()
    if text.endswith("%"):
        return _number(0, 1000, "a percentage")(text[:-1]) / 100
    return _number(0, 10, "a fraction such as 0.4 (or 40%)")(text)


def _choice(options: tuple[str, ...]) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = raw.strip()
        for option in options:
            if value.lower() == option.lower():
                return option
        raise AnswerError("choose one of: " + ", ".join(options))

    return parse


def _yes_no(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"y", "yes", "true"}:
        return True
    if value in {"n", "no", "false"}:
        return False
    raise AnswerError("answer yes or no")


@dataclass(frozen=True, slots=True)
class Prompt:
    field: str
    text: str
    parse: Callable[[str], Any]
    when: Callable[[dict[str, Any]], bool] | None = None

    def show_default(self, value: Any) -> str:
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, float):
            return f"{value:g}"
        return str(value)


@dataclass(frozen=True, slots=True)
class Question:
    title: str
    why: str
    prompts: tuple[Prompt, ...]
    gate: int


QUESTIONS: tuple[Question, ...] = (
    Question(
        "What decision or metric does this data serve, and for whom?",
        "Gate 1: the consumer and the decision set the latency goal.",
        (
            Prompt("name", "Data product name", _identifier),
            Prompt("decision", "Decision or metric it drives", _text),
            Prompt("consumer", "Consumer team", _owner),
            Prompt("owner", "Team that owns the pipeline and this plan", _owner),
        ),
        1,
    ),
    Question(
        "Where does the data come from, and who owns its events?",
        "Gate 2: every source and event contract needs an owner.",
        (
            Prompt("source_system", "Source system", _text),
            Prompt("source_owner", "Team that owns the source events", _owner),
        ),
        2,
    ),
    Question(
        "Does processing follow event time or processing time?",
        "Gate 3: event time needs a timestamp field in the contract and a watermark.",
        (
            Prompt("time", "Time basis (event-time/processing-time)", _choice(TIME_BASES)),
            Prompt(
                "event_time_field",
                "Event-time field",
                _field_name,
                when=lambda so_far: so_far.get("time") == "event-time",
            ),
        ),
        3,
    ),
    Question(
        "How fresh must the data be for its consumer?",
        "Gate 3: the freshness SLO bounds the latency budget, alerts and checks.",
        (Prompt("freshness_slo", "Freshness SLO at p99 (e.g. 5m, 1h, 1d)", _quantity("duration")),),
        3,
    ),
    Question(
        "How late, duplicated or corrected can events be?",
        "Gate 3: lateness sets the watermark; duplicates and corrections need handling.",
        (
            Prompt("lateness_p99", "Typical late arrival (p99)", _quantity("duration")),
            Prompt("lateness_max", "Latest arrival that must still count", _quantity("duration")),
            Prompt("duplicates", "Can the source deliver duplicates? (yes/no)", _yes_no),
            Prompt(
                "corrections",
                "How do corrections arrive (" + "/".join(CORRECTIONS) + ")",
                _choice(CORRECTIONS),
            ),
            Prompt(
                "duplicate_spread",
                "How far apart can two copies of one event arrive",
                _quantity("duration"),
                when=lambda so_far: so_far.get("duplicates") is True,
            ),
        ),
        3,
    ),
    Question(
        "What compatibility do consumers need when the schema changes?",
        "Gate 7: the compatibility mode decides who upgrades first.",
        (
            Prompt("compatibility", "Compatibility mode", _choice(COMPATIBILITY)),
            Prompt("deprecation_window", "Deprecation window", _quantity("duration")),
        ),
        7,
    ),
    Question(
        "How much data, how bursty, and how fast does it grow?",
        "Gate 4: the capacity figures are computed from these inputs.",
        (
            Prompt("events_per_day", "Events per day (e.g. 200M)", _quantity("count")),
            Prompt("peak_factor", "Peak rate as a multiple of the average", _number(1, 100, "x")),
            Prompt("bytes_per_event", "Average event size", _quantity("size")),
            Prompt("growth_per_year", "Growth per year (fraction, 0.4 = 40%)", _fraction),
        ),
        4,
    ),
    Question(
        "What operational constraints apply?",
        "Gate 9 and 12: who is on call, what it may cost, how long the log keeps data, and "
        "whether personal data sets a retention and residency every copy must respect.",
        (
            Prompt("on_call", "On-call team", _owner),
            Prompt("monthly_budget", "Monthly budget (currency units)", _number(1, 1e9, "a sum")),
            Prompt("retention", "Log retention (replay window + margin)", _quantity("duration")),
            Prompt("personal_data", "Does the data hold personal data? (yes/no)", _yes_no),
            Prompt(
                "personal_retention",
                "Longest any copy of the personal data may be kept",
                _quantity("duration"),
                when=lambda so_far: so_far.get("personal_data") is True,
            ),
            Prompt(
                "residency",
                "Where must the personal data stay (residency)",
                _text,
                when=lambda so_far: so_far.get("personal_data") is True,
            ),
        ),
        9,
    ),
)


def with_name(answers: Answers, name: str | None) -> Answers:
    return replace(answers, name=name) if name else answers


def ask(
    defaults: Answers,
    prompt: Callable[[str, str, Callable[[str], Any]], Any],
    announce: Callable[[str], None],
) -> Answers:
    """Walk the questions, calling `prompt(text, default, parse)` for each answer."""
    values = defaults.as_dict()
    for number, question in enumerate(QUESTIONS, start=1):
        announce(f"\n[{number}/{len(QUESTIONS)}] {question.title}\n    {question.why}")
        for item in question.prompts:
            if item.when is not None and not item.when(values):
                continue
            default = item.show_default(values[item.field])
            values[item.field] = prompt(item.text, default, item.parse)
    return Answers(**values)
