"""JUnit XML: one test case per finding, one passing case per clean file.

CI systems that read JUnit (GitLab, Jenkins, Azure) then show each finding that fails the
run (`--fail-on`, `fail-on` in the configuration) as a failed test named after the rule
and place. A finding below that level passes, carrying its text as the case's output
(`system-out`), so the test report agrees with the exit code. Suppressed findings are
skipped test cases; a file that could not be read is an errored test case.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from dataplan_lint.core import regexes
from dataplan_lint.core.findings import Finding
from dataplan_lint.core.safe_text import escape_char, xml_lines
from dataplan_lint.report.model import TOOL_NAME, Run, reference_url

_NOT_IN_XML = regexes.NOT_IN_XML.compile()


def _xml_safe(text: str) -> str:
    """Show the characters XML 1.0 cannot carry at all (control characters but TAB, LF
    and CR; lone surrogates; U+FFFE/U+FFFF) escaped, as the text format does, instead of
    dropping them without a trace."""
    return _NOT_IN_XML.sub(lambda match: escape_char(match.group()), text)


def render(run: Run) -> str:
    suites = ET.Element("testsuites", name=TOOL_NAME)
    total = failures = errors = skipped = 0
    for report in run.reports:
        suite = ET.SubElement(suites, "testsuite", name=_xml_safe(report.path))
        cases = failures_here = errors_here = skipped_here = 0
        findings = sorted(report.findings, key=Finding.sort_key)
        if report.input_error:
            case = ET.SubElement(suite, "testcase", name="read", classname=_xml_safe(report.path))
            error = ET.SubElement(case, "error", message=_xml_safe(report.input_error))
            error.text = _xml_safe(report.input_error)
            cases += 1
            errors_here += 1
        for finding in findings:
            rule = run.rule(finding.rule_id)
            name = f"{finding.rule_id} {finding.slug or rule.slug} at {finding.line}:{finding.col}"
            case = ET.SubElement(
                suite,
                "testcase",
                name=_xml_safe(name),
                classname=_xml_safe(report.path),
                file=_xml_safe(finding.path),
                line=str(finding.line),
            )
            cases += 1
            if finding.suppression is not None:
                reason = f"{finding.suppression.kind}: {finding.suppression.reason}".strip()
                ET.SubElement(case, "skipped", message=_xml_safe(reason))
                skipped_here += 1
                continue
            detail = _xml_safe(
                f"{finding.path}:{finding.line}:{finding.col}: {finding.rule_id} "
                f"{finding.severity.label}: {finding.message}\n{reference_url(rule)}"
            )
            if not run.fails_run(finding):  # below the fail level: a pass that says why
                ET.SubElement(case, "system-out").text = detail
                continue
            failure = ET.SubElement(
                case,
                "failure",
                message=_xml_safe(finding.message),
                type=finding.severity.label,
            )
            failure.text = detail
            failures_here += 1
        if not cases:
            ET.SubElement(suite, "testcase", name="all checks", classname=_xml_safe(report.path))
            cases = 1
        suite.set("tests", str(cases))
        suite.set("failures", str(failures_here))
        suite.set("errors", str(errors_here))
        suite.set("skipped", str(skipped_here))
        total += cases
        failures += failures_here
        errors += errors_here
        skipped += skipped_here
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    suites.set("errors", str(errors))
    suites.set("skipped", str(skipped))
    ET.indent(suites)
    body = ET.tostring(suites, encoding="unicode")
    # Text nodes are raw output lines: `xml_lines` keeps them from opening a workflow command.
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml_lines(body) + "\n"
