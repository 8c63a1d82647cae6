"""Every regular expression the package runs on text, in one audited registry.

Python's `re` backtracks: a pattern with nested or overlapping repetition can take time
exponential (or quadratic) in the length of the text it reads, and most of these read
text a pull request controls (plans, schema files, rulesets, diffs). So no module
compiles a pattern of its own: each is declared here with what it reads, and
`tests/hostile/test_regex_growth.py` runs every entry against adversarial texts of
growing size and fails on super-linear growth. A test also fails if a module calls
`re.compile`/`re.match`/... directly, so a new pattern cannot skip the audit.

The patterns of the bundled JSON Schemas (compiled by the generated validator and by
`schema_errors`) are audited by the same test from the schemas themselves. Regexes that
users write (the `pattern` rule function) run on the linear-time RE2 engine instead; see
`user_regex.py`.

Rules for a pattern that goes in here: no repetition of a group whose body can match the
same text in two ways (`(a+)+`, `(a|a)*`, `(\\s*x?)*`), no two adjacent repetitions over
overlapping characters followed by something that can fail (`\\S+@\\S+\\.\\S+`), and no
`\\s` that can run across line ends where a line-anchored pattern is meant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True, slots=True)
class Audited:
    """A pattern, its flags, and what it reads (for the audit)."""

    name: str
    source: str
    flags: int
    reads: str

    def compile(self) -> re.Pattern[str]:
        return _compiled(self.source, self.flags)


@dataclass(frozen=True, slots=True)
class Template:
    """A pattern with `{}` holes filled with literal (escaped) text at run time."""

    name: str
    source: str
    flags: int
    reads: str

    def compile(self, *literals: object) -> re.Pattern[str]:
        escaped = [re.escape(str(literal)) for literal in literals]
        return _compiled(self.source.format(*escaped), self.flags)


@cache
def _compiled(source: str, flags: int) -> re.Pattern[str]:
    return re.compile(source, flags)


REGISTRY: dict[str, Audited | Template] = {}


def _audited(name: str, source: str, flags: int = 0, *, reads: str) -> Audited:
    entry = Audited(name, source, flags, reads)
    REGISTRY[name] = entry
    return entry


def _template(name: str, source: str, flags: int = 0, *, reads: str) -> Template:
    assert source.count("{") == source.count("{}"), "a template's only braces are its holes"
    entry = Template(name, source, flags, reads)
    REGISTRY[name] = entry
    return entry


# --------------------------------------------------------------- plan files (hostile)

BLOCK_RUN = _audited(
    "loader-block-run",
    r"^[ ]*(?:[-?][ ]+)+",
    re.MULTILINE,
    reads="a plan's text, to bound block nesting before the recursive YAML composer",
)
FLOW_BRACKET = _audited(
    "loader-flow-bracket",
    r"[\[\]{}]",
    reads="a plan's text, to bound flow nesting",
)
YAML12_BOOL = _audited(
    "yaml12-bool",
    r"^(?:true|True|TRUE|false|False|FALSE)$",
    reads="every plain scalar of a plan (YAML 1.2 core schema resolution)",
)
YAML12_FLOAT = _audited(
    "yaml12-float",
    r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
    |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    re.VERBOSE,
    reads="every plain scalar of a plan",
)
YAML12_INT = _audited(
    "yaml12-int",
    r"""^(?:[-+]?0b[0-1_]+
    |[-+]?0o?[0-7_]+
    |[-+]?[0-9_]+
    |[-+]?0x[0-9a-fA-F_]+)$""",
    re.VERBOSE,
    reads="every plain scalar of a plan",
)
YAML12_MERGE = _audited("yaml12-merge", r"^(?:<<)$", reads="every plain scalar of a plan")
YAML12_NULL = _audited(
    "yaml12-null", r"^(?:~|null|Null|NULL|)$", reads="every plain scalar of a plan"
)
QUANTITY = _audited(
    "quantity",
    r"(?P<sign>[+-]?)(?P<num>\d+(?:\.\d+)?|\.\d+)(?P<exp>[eE][+-]?\d+)?"
    r" ?(?P<unit>[A-Za-zµ]*)(?:/(?P<per>[A-Za-z]+))?(?P<pct>%)?",
    reads="a plan's quantity values (fullmatch)",
)
SUPPRESSION_MARKER = _audited(
    "suppression-marker",
    r"#\s*dataplan-lint\s*:\s*disable\s*=\s*(?P<body>.*)$",
    reads="each line of a plan that mentions dataplan-lint",
)
METRIC_WORD = _audited("metric-word", r"[a-z0-9]+", reads="alert metric names, lower-cased")
ACCEPTANCE_ID = _audited("acceptance-id", r"^AC-(\d+)$", reads="acceptance criterion ids")
PLACEHOLDER_WHOLE = _audited(
    "placeholder-whole",
    r"^(?:<[^>]*>|\?+|\.{2,}|…|_+|-+|x+|\{[^}]*\}|\$\{[^}]*\}|to be (?:decided|defined|"
    r"determined|confirmed|announced)|not (?:yet )?(?:known|decided|defined))[.!]?$",
    re.IGNORECASE,
    reads="plan values that may be a placeholder (owners, names)",
)
PLACEHOLDER_MARKER = _audited(
    "placeholder-marker",
    r"\b(?:TBD|TBA|TBC|TODO|FIXME|XXX)\b",
    reads="plan values that may hold a placeholder word",
)
FRESHNESS_METRIC = _audited(
    "freshness-metric",
    r"fresh|latency|stale|end_to_end|e2e|data_age",
    re.IGNORECASE,
    reads="metric names of a plan's validation section",
)
LAYER_MENTION = _template(
    "layer-mention",
    r"(?<![\w.]){}(?![\w])",
    reads="reconciliation targets of a plan, looking for a layer name",
)
DATASET_MENTION = _template(
    "dataset-mention",
    r"(?<!\w){}(?!\w)",
    reads="where a plan's freshness SLO is measured, looking for a (qualified) layer name",
)
CONTRACT_POINTER = _audited(
    "contract-pointer", r"^/contracts/(\d+)(?:/|$)", reads="JSON pointers of findings"
)
# Line breaks: YAML and the tool break at LF, CRLF and a lone CR; git at LF only; libyaml
# (YAML 1.1) also at NEL, U+2028 and U+2029.
LINE_BREAK = _audited("line-break", r"\r\n|[\r\n]", reads="a plan's text")
LONE_CR = _audited("lone-cr", r"\r(?!\n)", reads="a plan's text")
GIT_LINE_BREAK = _audited("git-line-break", r"\n", reads="a plan's text")
UNICODE_BREAK = _audited("unicode-break", "[\x85\u2028\u2029]", reads="a plan's text")
PARSER_BREAK = _audited("parser-break", "\r\n|[\r\n\x85\u2028\u2029]", reads="a plan's text")

# --------------------------------------------------------------- output (hostile text)

# Characters never written raw: C0, DEL, C1, bidi controls, line/paragraph separators
# and lone surrogates (see core/safe_text.py).
UNSAFE_CHARS = "\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff"
UNSAFE_CHAR = _audited("unsafe-char", f"[{UNSAFE_CHARS}]", reads="text written to any output")
LEGACY_OPENER = _audited(
    "legacy-command-opener", r"(?<=#)#(?=\[)", reads="text written to any output"
)
COMMAND_OPENER = _audited(
    "command-opener", r"^\s*(:)(?=:)", reads="text written to any output (one line)"
)
QUICK_CHECK = _audited(
    "unsafe-quick-check", f"[{UNSAFE_CHARS}]|##\\[|^\\s*::", reads="text written to any output"
)
JSON_UNSAFE = _audited(
    "json-unsafe",
    "[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]|##\\[",
    reads="JSON output",
)
COMMIT_ID = _audited("commit-id", r"[0-9a-f]{40}|[0-9a-f]{64}", reads="a --base ref")
GITHUB_SERVER = _audited(
    "github-server", r"https://[A-Za-z0-9.-]+(:[0-9]+)?", reads="GITHUB_SERVER_URL"
)
SUMMARY_AUTOLINK = _audited(
    "summary-autolink", r"://|(?i:www)\.", reads="text written to the job summary"
)
FD_PATH = _audited(
    "fd-path",
    r"/dev/(?:(?P<std>stdout|stderr)|fd/(?P<fd>[0-9]{1,9}))"
    r"|/proc/(?P<pid>self|[0-9]{1,9})/fd/(?P<pfd>[0-9]{1,9})",
    reads="--output paths",
)
NOT_IN_XML = _audited(
    "not-in-xml",
    "[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]",
    reads="text written to JUnit XML",
)
ODCS_QUOTED = _audited("odcs-quoted", r"'([^']*)'", reads="ODCS contract expressions")
ODCS_SAFE_NAME = _audited(
    "odcs-safe-name", r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$", reads="names exported to ODCS"
)

# --------------------------------------------------------------- schema files, diffs

SIZED_TYPE = _audited(
    "sized-type",
    r"^\s*([a-z_][a-z0-9_]*(?: [a-z0-9_]+)*)\s*\(\s*(\d+)\s*(?:,\s*(-?\d+)\s*)?\)\s*$",
    reads="type names from schema files and plans (`decimal(12,2)`, `varchar(3)`)",
)
SEMVER = _audited(
    "semver",
    r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+].*)?$",
    reads="contract versions",
)
ISO_DATE = _audited("iso-date", r"^(\d{4})-(\d{2})-(\d{2})$", reads="contract versions")
WAIVER_WORD = _audited("waiver-word", r"[a-z_][a-z0-9_-]*", reads="a waiver's change text")
WAIVER_MENTION = _template(
    "waiver-mention",
    r"(?<![\w.]){}(?![\w.])",
    reads="a waiver's change text, looking for a field path",
)
PROTO_MESSAGE_LINE = _template(
    "proto-message-line",
    r"\bmessage\s+{}\b",
    reads="each line of a .proto file",
)
PROTO_FIELD_LINE = _template(
    "proto-field-line",
    r"\b{}\s*=\s*{}\b",
    reads="each line of a .proto file",
)

# --------------------------------------------------------------- rulesets, messages

_TOML_NAME = r"(?:\"[^\"\n]*\"|'[^'\n]*'|[A-Za-z0-9_-]+)"
TOML_HEADER = _audited(
    "toml-header", r"\A[ \t]*\[(?!\[)([^\]\n]*)\]", reads="pyproject.toml lines (key positions)"
)
TOML_KEY = _audited(
    "toml-key",
    rf"\A[ \t]*({_TOML_NAME}(?:[ \t]*\.[ \t]*{_TOML_NAME})*)[ \t]*=",
    reads="pyproject.toml lines (key positions)",
)
TOML_INLINE_KEY = _audited(
    "toml-inline-key",
    r"[{,][ \t]*(\"[^\"\n,{]*\"|'[^'\n,{]*'|[A-Za-z0-9_-]+)[ \t]*=",  # stops at the next entry
    reads="pyproject.toml lines (key positions)",
)
TOML_KEY_PART = _audited(
    "toml-key-part",
    r"\"([^\"\n]*)\"|'([^'\n]*)'|([A-Za-z0-9_-]+)",
    reads="a TOML key (key positions)",
)
REFERENCE_RULE_BEGIN = _audited(
    "reference-rule-begin", r"<!-- rule (\S+):", reads="references/*.md lines (rule docs)"
)
REFERENCE_ANCHOR = _audited(
    "reference-anchor", r'<a id="([^"]+)"></a>', reads="references/*.md lines (rule docs)"
)
MARKDOWN_HEADING = _audited(
    "markdown-heading", r"(#{1,6}) ", reads="references/*.md lines (rule docs)"
)
MESSAGE_NUMBER = _audited(
    "message-number", r"\d+(?:\.\d+)?", reads="finding messages (fingerprints)"
)

# --------------------------------------------------------------- authoring (init answers)

IDENTIFIER = _audited("answer-identifier", r"^[a-z][a-z0-9_.-]*$", reads="answers given to `init`")
FIELD_NAME = _audited("answer-field-name", r"^[a-z_][a-z0-9_]*$", reads="answers to `init`")
OWNER = _audited(
    "answer-owner",
    r"^(?:[a-z][a-z0-9_.-]*|[^@\s]+@(?:[^@\s.]+\.)+[^@\s.]+)$",
    reads="the owner answer given to `init` (a team slug or an e-mail address)",
)
MERMAID_UNSAFE = _audited(
    "mermaid-unsafe-id", r"[^A-Za-z0-9_]+", reads="plan names turned into diagram ids"
)

# --------------------------------------------------------------- code generation (dev)

CODEGEN_RAISE = _audited(
    "codegen-raise",
    r"^([ \t]*)raise JsonSchemaValueException\(.*$",
    re.MULTILINE,
    reads="fastjsonschema's generated validator source",
)
CODEGEN_DEF = _audited(
    "codegen-def", r"^def (\w+)\(", re.MULTILINE, reads="the generated validator source"
)


def schema_pattern(source: str) -> re.Pattern[str]:
    """A `pattern` keyword of the bundled schemas (audited from the schemas by the tests)."""
    return _compiled(source, 0)


# --fix (issue 15): acceptance ids named in other fields, spelled-out quantity units.
ACCEPTANCE_ID_MENTION = _audited(
    "acceptance-id-mention", r"\bAC-\d+\b", reads="every string of a plan (renumbering)"
)
QUANTITY_NOUNS = _audited(
    "quantity-nouns",
    r"\b(?:events?|records?|messages?|rows?|items?|requests?)\b",
    re.IGNORECASE,
    reads="a malformed quantity (DP015 suggestion)",
)
QUANTITY_SPELLED = _audited(
    "quantity-spelled",
    r"(\d+(?:\.\d+)?)\s*(\D.*)?",
    re.DOTALL,
    reads="a malformed quantity, stripped (DP015 suggestion)",
)


# ------------------------------------------------- plan values the consistency checks read

DATASET_COLUMN = _audited(
    "dataset-column",
    r"\A[A-Za-z_][A-Za-z0-9_-]*\.[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*\Z",
    reads="a referential check's `references` (`dataset.column`), matched whole",
)
SCHEDULE_EVERY = _audited(
    "schedule-every",
    r"\A[ ]*every[ ]+([0-9][0-9.]{0,12}[a-z]{1,3})\b",
    re.IGNORECASE,
    reads="a quality check's `schedule` (`every 5m`, `every 15m after dbt_marts`)",
)
CRON_MINUTE_STEP = _audited(
    "cron-minute-step",
    r"\A[ ]*\*/([0-9]{1,4})[ ]+\*[ ]+\*[ ]+\*[ ]+\*[ ]*\Z",
    reads="a quality check's `schedule` written as cron (`*/15 * * * *`)",
)
