"""One `index` run at a time per index folder: an advisory lock on a file beside the folder, holding
the pid of the run that has it. The system frees it when that process ends, however it ends."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from pathlib import Path

from pcp_search.spec import IndexBusy


class RunLock:
    """`.<folder>.lock` beside the index folder (not in it: a rebuilt folder is swapped in whole)."""

    def __init__(self, index_dir: Path) -> None:
        self.path = index_dir.parent / f".{index_dir.name}.lock"
        self.fd: int | None = None

    def acquire(self, waiting: Callable[[str], None] | None = None) -> None:
        """Take the lock; while another run holds it, call `waiting(pid)` once and wait (or, without
        `waiting`, raise IndexBusy naming that run's pid)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
                if waiting is None:
                    raise IndexBusy(f"index in use by pid {holder} (another `pcp-search index` run); "
                                    "try again when it ends") from None
                waiting(holder)
                fcntl.flock(fd, fcntl.LOCK_EX)
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        except BaseException:
            os.close(fd)
            raise
        self.fd = fd

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # (closing frees the lock; the file stays, empty of meaning)
            self.fd = None
