"""Helpers for the fault-injection tests: the CLI run as a subprocess, papers written on the fly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEED_MINUTES

MEETING = """Minutes of the Northshire Police and Crime Panel held on {day} May 2024

1. {title}

Cllr Brady asked what the Commissioner was doing about {topic}.
The Police and Crime Commissioner (PCC) replied that the {topic} review would report in June and that
Mr Brady would be sent the figures for {place}.

2. Any other business

The Multi-Agency Safeguarding Hub (MASH) was discussed. Dr Patel said {topic} in {place} had improved.
"""


def paper(folder: Path, name: str, topic: str, place: str = "Riverton", day: int = 1) -> Path:
    """A short set of minutes whose distinctive word is `topic`."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(MEETING.format(day=day, title=f"{topic.title()} update", topic=topic, place=place), encoding="utf-8")
    return path


def big_folder(folder: Path, copies: int) -> Path:
    """`copies` renamed copies of the seed minutes (about 140 KB each): enough work to interrupt."""
    folder.mkdir(parents=True, exist_ok=True)
    text = SEED_MINUTES.read_text(encoding="utf-8")
    for n in range(copies):
        (folder / f"copy{n:02d}.txt").write_text(text.replace("Atlantic House", f"Building {n}"), encoding="utf-8")
    return folder


def env() -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PCP_SEARCH_")}
    return clean | {"PYTHONUNBUFFERED": "1"}


def pcp(*args, timeout: float = 120, extra_env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    """`pcp-search ARGS` in a subprocess, its output as text."""
    return subprocess.run([sys.executable, "-m", "pcp_search", *map(str, args)], env=env() | (extra_env or {}),
                          capture_output=True, text=True, timeout=timeout, **kwargs)


def spawn(*args, **kwargs) -> subprocess.Popen:
    """`pcp-search ARGS` started in a session of its own (so its whole process group can be signalled)."""
    return subprocess.Popen([sys.executable, "-m", "pcp_search", *map(str, args)], env=env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True, **kwargs)


def group_alive(pgid: int) -> list[int]:
    """The pids still alive in a process group (orphaned workers would be here)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                alive.append(int(entry.name))
    return alive


@pytest.fixture
def fault_env(monkeypatch):
    for name in list(os.environ):
        if name.startswith("PCP_SEARCH_"):
            monkeypatch.delenv(name)
