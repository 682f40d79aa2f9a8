"""`python -m bench.report [bench/results/latest.json]`: the results as Markdown tables,
for docs/performance.md."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def markdown(report: dict) -> str:
    rows: dict[str, dict] = {}
    for entry in report["items"]:
        rows.setdefault(entry["name"], {})[entry["metric"]] = entry
    machine = report["machine"]
    lines = [
        f"Scale {report['scale']} on {machine['cpu_model']}, {machine['cores']} cores, "
        f"{machine['memory_gib']} GiB, Python {machine['python']}. {report['server']}. "
        f"Load generator: {report['load_generator']}.",
        "",
        "| Page | p50 ms | p95 ms | p99 ms | floor p50 beside | × floor | req/s at c8 "
        "| queries (warm / built) | p50 ≤ 4× floor |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    others = []
    for name, metrics in rows.items():
        if "p50" not in metrics:
            others.append((name, metrics))
            continue
        ratio = metrics.get("p50_ratio_to_floor")
        built = f" / {metrics['queries_built']['value']:.0f}" if "queries_built" in metrics else ""
        beside = metrics.get("floor_p50_beside")
        verdict = "" if ratio is None or ratio["met"] is None else (
            "met" if ratio["met"] else "**missed**")  # fmt: skip
        lines.append(
            f"| {name} | {metrics['p50']['value']:.1f} | {metrics['p95']['value']:.1f} | "
            f"{metrics['p99']['value']:.1f} | "
            f"{'' if beside is None else format(beside['value'], '.1f')} | "
            f"{'' if ratio is None else format(ratio['value'], '.1f')} | "
            f"{metrics['throughput_c8']['value']:.0f} | {metrics['queries']['value']:.0f}"
            f"{built} | "
            f"{verdict} |"
        )
        for metric in ("search_p95", "sequential_scans_of_documents"):
            if metric in metrics:
                others.append((name, {metric: metrics[metric]}))
    lines += ["", "| Measure | Figure | Value | Target | Verdict |", "|---|---|---:|---:|---|"]
    for name, metrics in others:
        for metric, entry in metrics.items():
            verdict = "" if entry["met"] is None else ("met" if entry["met"] else "**missed**")
            target = "" if entry["target"] is None else entry["target"]
            lines.append(
                f"| {name} | {metric} | {entry['value']} {entry['unit']} | {target} | {verdict} |"
            )
    lines += ["", f"Targets met: **{report['targets_met']} of {report['targets_total']}**."]
    return "\n".join(lines)


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench/results/latest.json"
    print(markdown(json.loads(path.read_text())))


if __name__ == "__main__":
    main()
