"""Build the index of the bundled rules ahead of time (like the schema validator).

A check reads only the run-time part of each rule (id, severity, message, `given`,
`then`); parsing every rule file's YAML for it would cost more than the rest of a clean
run. `python -m dataplan_lint.engine.index_codegen` writes that part of every bundled rule
and preset to `engine/bundled_rules.json`, with a digest of the rule files it came from.
At run time the index is used when the digest still matches the files (an installed
package); otherwise (rule files edited in a checkout) the rules are read from the YAML.
A test fails while the stored index is stale. It also rewrites the rule sections of
references/*.md from the rules' YAML (see reference_codegen).
"""

from __future__ import annotations

import json
import sys
from typing import Any


def generate() -> dict[str, Any]:
    from dataplan_lint.engine.rulesets import _build_index, _digest, bundled_files, read_all

    files = bundled_files()
    contents = read_all(files)
    return {
        "source_digest": _digest(files, contents),
        "index": _build_index(files, contents, "bundled"),
    }


def main() -> int:
    from dataplan_lint.engine.rulesets import PREBUILT as TARGET

    TARGET.write_text(json.dumps(generate(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {TARGET} ({TARGET.stat().st_size:,} bytes)")
    from dataplan_lint.engine import reference_codegen

    return reference_codegen.main()  # the rule sections of references/*.md


if __name__ == "__main__":
    sys.exit(main())
