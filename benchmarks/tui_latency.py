"""How long after the last keystroke the TUI's results update, on an index (default: the seed index).

    python benchmarks/tui_latency.py [--index-dir index] [--runs 20]

Types each query key by key with Textual's Pilot and measures, per query, the time from the last key
press to the moment the results list shows the new hits (debounce + search + render).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

QUERIES = ["Atlantic House", "MASH", "stop and search", "CCTV Slough", "PCSO recruitment", "encampments",
           "vetting", "RESTART", "precept", "cyber crime"]


async def measure(index_dir: Path, runs: int) -> list[float]:
    from pcp_search.tui.app import make_app

    app = make_app(index_dir)
    timings: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        for n in range(runs):
            query = QUERIES[n % len(QUERIES)]
            app.query_one("#query").value = ""
            await pilot.pause(0.3)
            for key in query[:-1]:
                await pilot.press("space" if key == " " else key)
            started = time.perf_counter()
            await pilot.press(query[-1])
            while app.shown_query != query:
                await asyncio.sleep(0.002)
                if time.perf_counter() - started > 10:
                    raise TimeoutError(f"no results for {query!r}")
            await pilot.pause(0)  # let the list render
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path, default=Path("index"))
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    timings = sorted(asyncio.run(measure(args.index_dir, args.runs)))
    print(f"{len(timings)} queries: last keystroke -> results updated: median {statistics.median(timings):.0f} ms, "
          f"p95 {timings[int(len(timings) * 0.95) - 1]:.0f} ms, max {timings[-1]:.0f} ms")


if __name__ == "__main__":
    main()
