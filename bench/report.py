"""`python -m bench.report [bench/results/latest.json]`: the results as Markdown tables,
for docs/performance.md and for `make bench`'s own output."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAULT_STATES = ("stopped", "frozen", "full", "read-only")
# What the page tables show; a page's other figures (the search's) go with the measures.
PAGE_METRICS = {"p50", "p95", "p99", "floor_p50_beside", "throughput_c8", "queries",
                "queries_built"}  # fmt: skip


def _part(entry: dict, pages: dict) -> str:
    if entry["metric"].startswith("redis_"):
        return "with Redis broken"
    if entry["name"] in pages and entry["metric"] in PAGE_METRICS:
        return "pages"
    return "other measures"


def _verdict(entries: list[dict | None]) -> str:
    judged = [e for e in entries if e is not None and e["met"] is not None]
    if not judged:
        return ""
    missed = [e["metric"] for e in judged if not e["met"]]
    return "met" if not missed else "**missed** (" + ", ".join(missed) + ")"


def _value(entry: dict | None, digits: int = 1) -> str:
    return "" if entry is None else f"{entry['value']:.{digits}f}"


def markdown(report: dict) -> str:
    rows: dict[str, dict] = {}
    for entry in report["items"]:
        rows.setdefault(entry["name"], {})[entry["metric"]] = entry
    # A page is what was timed under load; everything else is a measure of its own.
    pages = {name: m for name, m in rows.items() if "throughput_c8" in m}
    machine = report["machine"]
    lines = [
        f"Scale {report['scale']} on {machine['cpu_model']}, {machine['cores']} cores, "
        f"{machine['memory_gib']} GiB, Python {machine['python']}; commit "
        f"{report.get('commit', 'unknown')}. {report['server']}. Load generator: "
        f"{report['load_generator']}. Page cache busted (a new address for every request): "
        f"{'yes' if report.get('cache_bust') else 'no'}.",
        "",
        "| Page | p50 ms | p95 ms | p99 ms | floor p50 beside | req/s at c8 "
        "| queries (warm / cold cache) | p50 ≤ 25 ms, p95 ≤ 60 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, m in pages.items():
        queries = _value(m.get("queries"), 0)
        if "queries_built" in m:
            queries += f" / {_value(m['queries_built'], 0)}"
        lines.append(
            f"| {name} | {_value(m['p50'])} | {_value(m['p95'])} | {_value(m.get('p99'))} | "
            f"{_value(m.get('floor_p50_beside'))} | {_value(m['throughput_c8'], 0)} | "
            f"{queries} | {_verdict([m['p50'], m['p95']])} |"
        )
    if any(metric.startswith("redis_") for m in pages.values() for metric in m):
        lines += [
            "",
            "With Redis broken: p50 / p95 ms, and requests failed, per state.",
            "",
            "| Page | stopped | frozen | full | read-only "
            "| p50 ≤ 275 ms, p95 ≤ 310 ms, none failed |",
            "|---|---:|---:|---:|---:|---|",
        ]
        for name, m in pages.items():
            cells, entries = [], []
            for state in FAULT_STATES:
                p50, p95, failed = (m.get(f"redis_{state}_{k}") for k in ("p50", "p95", "errors"))
                entries += [p50, p95, failed]
                cells.append(
                    "" if p50 is None else f"{_value(p50)} / {_value(p95)}, {_value(failed, 0)}"
                )
            lines.append(f"| {name} | {' | '.join(cells)} | {_verdict(entries)} |")
    lines += ["", "| Measure | Figure | Value | Target | Verdict |", "|---|---|---:|---:|---|"]
    for name, metrics in rows.items():
        for metric, entry in metrics.items():
            if name in pages and (metric in PAGE_METRICS or metric.startswith("redis_")):
                continue
            verdict = "" if entry["met"] is None else ("met" if entry["met"] else "**missed**")
            target = "" if entry["target"] is None else entry["target"]
            lines.append(
                f"| {name} | {metric} | {entry['value']} {entry['unit']} | {target} | {verdict} |"
            )
    if "skipped" in report.get("chatham", {}):
        lines += ["", f"Chatham House check: {report['chatham']['skipped']}."]
    parts: dict[str, list[bool]] = {}
    for entry in report["items"]:
        if entry["met"] is not None:
            parts.setdefault(_part(entry, pages), []).append(entry["met"])
    by_part = "; ".join(f"{part} {sum(met)} of {len(met)}" for part, met in parts.items())
    lines += [
        "",
        f"Targets met: **{report['targets_met']} of {report['targets_total']}** ({by_part}).",
    ]
    return "\n".join(lines)


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench/results/latest.json"
    print(markdown(json.loads(path.read_text())))


if __name__ == "__main__":
    main()
