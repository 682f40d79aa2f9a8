"""Run pip-audit over the pinned dependencies and say plainly what it could and could not check.

Fails on any known vulnerability. A dependency pip-audit could not check (for example when
the vulnerability database cannot be reached) is listed as NOT AUDITED: never reported as
"no known vulnerabilities".
Set POLICYHUB_PIP_AUDIT=strict to fail on unaudited dependencies too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    result = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "pip-audit"),
            "--format", "json", "--progress-spinner", "off", "--no-deps", "--disable-pip",
            "-r", str(ROOT / "requirements" / "constraints.txt"),
        ],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stdout, result.stderr, sep="\n")
        print("pip-audit did not produce a report: dependencies NOT AUDITED.")
        return 1 if os.environ.get("POLICYHUB_PIP_AUDIT") == "strict" else 0
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    audited = len(dependencies) - len(skipped)
    for dependency in vulnerable:
        ids = ", ".join(v["id"] for v in dependency["vulns"])
        print(f"VULNERABLE {dependency['name']} {dependency.get('version')}: {ids}")
    print(f"pip-audit: {audited} of {len(dependencies)} pinned dependencies audited, "
          f"{len(vulnerable)} with known vulnerabilities.")  # fmt: skip
    if skipped:
        print(
            f"NOT AUDITED ({len(skipped)}): "
            + ", ".join(sorted(d["name"] for d in skipped))
            + f"\n  reason given: {skipped[0]['skip_reason']}"
        )
    if vulnerable:
        return 1
    if skipped and os.environ.get("POLICYHUB_PIP_AUDIT") == "strict":
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
