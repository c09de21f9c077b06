"""How long after the last keystroke the TUI's results update, on an index (default: the seed index).

    python benchmarks/tui_latency.py [--index-dir index] [--runs 20]

Types each query key by key with Textual's Pilot and measures, per query, two times:
- in the app: from the moment the app takes the last key (the search box's change handler) to the
  screen refresh after the results list shows its hits (debounce + search + render);
- by the harness: from just before Pilot is asked to press the last key to the moment the harness
  sees that refresh done (polled every 2 ms). This adds the key's trip through Pilot and Textual's
  message queues to the search box's handler, which a key from a terminal also makes in part.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

QUERIES = ["Atlantic House", "MASH", "stop and search", "CCTV Slough", "PCSO recruitment", "encampments",
           "vetting", "RESTART", "precept", "cyber crime"]


async def measure(index_dir: Path, runs: int) -> tuple[list[float], list[float]]:
    from pcp_search.tui.app import make_app

    app = make_app(index_dir)
    timings: list[float] = []
    in_app: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        for n in range(runs):
            query = QUERIES[n % len(QUERIES)]
            app.query_one("#query").value = ""
            await pilot.pause(0.3)
            for key in query[:-1]:
                await pilot.press("space" if key == " " else key)
            app.update_ms = None
            started = time.perf_counter()
            await pilot.press(query[-1])
            while app.shown_query != query or app.update_ms is None:
                await asyncio.sleep(0.002)
                if time.perf_counter() - started > 10:
                    raise TimeoutError(f"no results for {query!r}")
            timings.append((time.perf_counter() - started) * 1000)  # (update_ms is set after the refresh)
            in_app.append(app.update_ms)
            await pilot.pause(0)
    return in_app, timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path, default=Path("index"))
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    in_app, harness = asyncio.run(measure(args.index_dir, args.runs))
    for name, timings in (("in the app", sorted(in_app)), ("by the harness", sorted(harness))):
        print(f"{len(timings)} queries, last keystroke -> results on screen, {name}: median {statistics.median(timings):.0f} ms, "
              f"p95 {timings[int(len(timings) * 0.95) - 1]:.0f} ms, max {timings[-1]:.0f} ms")


if __name__ == "__main__":
    main()
