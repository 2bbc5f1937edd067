"""How long, and in how much memory, does a backup of twenty years go out and back in?
Run by hand, with heelcoach installed (not editable) in an environment of its own:

    python3 -m venv /tmp/heelcoach-bench && /tmp/heelcoach-bench/bin/pip install .
    /tmp/heelcoach-bench/bin/python bench/transfer.py [--sets 100000] [--runs 3]

The history is the one `history_scale.py` builds (the same generator, kept in the same
folder between runs). `heelcoach export --output FILE` writes it as JSON lines and
`--format csv` as CSV; `heelcoach import FILE` then reads each file into an empty data
folder. Every command is the installed console script in a new process
(`PYTHONDONTWRITEBYTECODE` unset); its wall time and peak memory (the kernel's maximum
resident set size of the process) are measured, `--runs` times, and the medians
reported. Target: importing 100,000 sets (twenty years of heavy use) in under 30 s and
under 100 MB, so restoring a backup is something a person waits for, not leaves running.
Exit status 1 when it is missed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

import benchlib
import history_scale

IMPORT_SECONDS = 30
IMPORT_MEMORY_MB = 100


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--keep-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "heelcoach-bench-histories",
    )
    options = parser.parse_args()
    coach = benchlib.installed_heelcoach()
    days = history_scale.span_days(options.sets)
    start = date.today() - timedelta(days=days)
    rows: list[tuple[str, list[benchlib.Sample]]] = []
    with tempfile.TemporaryDirectory(prefix="heelcoach-bench-") as folder:
        root = Path(folder)
        full = benchlib.environment(root / "full", root / "cache")
        history_scale.screened(coach, full, root / "full", start)
        history_scale.build_history(options.keep_dir, root / "full", options.sets, start, days)
        files = {"jsonl": root / "out.jsonl", "csv": root / "out.csv"}
        for fmt, target in files.items():
            samples = []
            for _ in range(options.runs):
                target.unlink(missing_ok=True)
                samples.append(
                    benchlib.time_process(
                        [*coach, "export", "--format", fmt, "--output", str(target)], full
                    )
                )
            rows.append((f"export --format {fmt}", samples))
        for fmt, source in files.items():
            samples = []
            for run in range(options.runs):
                home = root / f"import-{fmt}-{run}"
                env = benchlib.environment(home, root / "cache")
                samples.append(benchlib.time_process([*coach, "import", str(source)], env))
                shutil.rmtree(home)
            rows.append((f"import ({fmt})", samples))
        sizes = {fmt: path.stat().st_size for fmt, path in files.items()}
    return report(rows, options.sets, sizes, options.runs)


def report(
    rows: list[tuple[str, list[benchlib.Sample]]], sets: int, sizes: dict[str, int], runs: int
) -> int:
    print(f"\n{sets:,} sets; medians of {runs} runs [least-most]")
    print(f"{'command':<22}{'wall s':>18}{'sets/s':>12}{'peak MB':>16}  target")
    missed = []
    for label, samples in rows:
        wall = benchlib.spread([s.wall for s in samples])
        memory = benchlib.spread([s.max_rss_kb / 1024 for s in samples])
        rate = sets / wall.median
        ok, target = True, "-"
        if label.startswith("import"):
            ok = wall.most < IMPORT_SECONDS and memory.most < IMPORT_MEMORY_MB
            target = f"< {IMPORT_SECONDS} s, < {IMPORT_MEMORY_MB} MB"
        if not ok:
            missed.append(label)
        print(
            f"{label:<22}{wall.median:8.2f} [{wall.least:.2f}-{wall.most:.2f}]"
            f"{rate:>12,.0f}{memory.median:8.0f} [{memory.least:.0f}-{memory.most:.0f}]"
            f"  {target} {'' if target == '-' else 'ok' if ok else 'MISSED'}"
        )
    print("file sizes: " + ", ".join(f"{fmt} {size / 1e6:.0f} MB" for fmt, size in sizes.items()))
    return benchlib.exit_status(missed)


if __name__ == "__main__":
    sys.exit(main())
