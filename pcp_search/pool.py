"""The indexing run's worker processes and its signals: jobs handed out one at a time through a shared
counter, results back through one pipe per worker (no feeder threads that could hang the exit),
Ctrl-C and SIGTERM turned into one `Interrupted` at a safe point, and every worker ended on the way out."""

from __future__ import annotations

import errno
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import cast

from pcp_search.spec import IndexingFailed, Interrupted

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
GRACE_SECONDS = 3.0  # a worker asked to stop is killed after this


class _Signals:
    stopping = False  # a stop signal came: later ones are ignored while the run winds down
    deferred = 0  # inside a commit: the signal waits for its end
    pending: int | None = None


_state = _Signals()


def _on_signal(signum, _frame) -> None:
    if _state.stopping:
        return
    _state.stopping = True
    if _state.deferred:
        _state.pending = signum
        return
    raise Interrupted(signum=signum)


@contextmanager
def stoppable():
    """Ctrl-C and SIGTERM raise `Interrupted` once (outside `critical` sections); later ones are ignored
    while the run stops. Only the main thread can take signals: elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, _on_signal) for sig in STOP_SIGNALS}
    _state.stopping, _state.deferred, _state.pending = False, 0, None
    try:
        yield
    finally:
        for sig, handler in previous.items():  # a stopped run ignores the Ctrl-C still coming while it exits
            signal.signal(sig, signal.SIG_IGN if _state.stopping else handler)


@contextmanager
def critical():
    """A commit and the files written with it: a stop signal that comes meanwhile takes effect after."""
    _state.deferred += 1
    try:
        yield
    finally:
        _state.deferred -= 1
    if not _state.deferred and _state.pending is not None:
        signum, _state.pending = _state.pending, None
        raise Interrupted(signum=signum)


def run_workers(jobs: list, workers: int, work: Callable, close_fds: list[int],
                order: list[int] | None = None) -> Iterator[tuple[str, int, object]]:
    """Run `work(take, send)` in `workers` forked processes, `take()` giving each the number of the next
    job not yet taken (in `order`, default the jobs' own) or None; yield what they send as (kind, job
    number, payload), and ("segment", -1, payload) as each worker's last message. A worker that
    dies or fails stops the run with IndexingFailed (or OSError for a full disk); every worker is ended
    (SIGTERM, then SIGKILL after GRACE_SECONDS) when this generator ends, however it ends."""
    import multiprocessing
    from multiprocessing.connection import Connection, wait

    context = multiprocessing.get_context("fork")  # a third faster to start than spawned workers
    counter = context.Value("l", 0)
    pipes = [context.Pipe(duplex=False) for _ in range(workers)]
    order = list(range(len(jobs))) if order is None else order
    procs = [context.Process(target=_worker_main, args=(os.getpid(), order, counter, pipes[n][1], work, close_fds),
                             daemon=True) for n in range(workers)]
    reading: dict[Connection, int] = {}
    try:
        for n, proc in enumerate(procs):
            proc.start()
            pipes[n][1].close()
            reading[pipes[n][0]] = n
        while reading:
            ready = cast(list[Connection], wait(list(reading), timeout=1))  # some of the connections it was given
            if not ready:
                for n in reading.values():
                    if procs[n].exitcode is not None:
                        raise _died(procs[n])
            for conn in ready:
                n = reading[conn]
                try:
                    kind, number, payload = conn.recv()
                except (EOFError, OSError):
                    procs[n].join(1)
                    raise _died(procs[n]) from None
                if kind == "failed":
                    code, message = payload
                    if code:
                        raise OSError(code, message)
                    raise IndexingFailed(f"an indexing worker failed: {message}")
                if kind == "segment":
                    del reading[conn]
                yield kind, number, payload
    finally:
        _end(procs)
        for reader, _writer in pipes:
            reader.close()


def _died(proc) -> IndexingFailed:
    code = proc.exitcode
    how = f"was killed by signal {-code}" if code is not None and code < 0 else f"stopped (exit code {code})"
    return IndexingFailed(f"an indexing worker (pid {proc.pid}) {how}")


def _end(procs) -> None:
    for proc in procs:
        if proc.is_alive():
            proc.terminate()
    deadline = time.monotonic() + GRACE_SECONDS
    for proc in procs:
        if proc.pid is None:
            continue
        proc.join(max(0.0, deadline - time.monotonic()))
        if proc.is_alive():
            proc.kill()
            proc.join()


def _worker_main(parent: int, order: list[int], counter, conn, work: Callable, close_fds: list[int]) -> None:
    """A worker: jobs by number, the next of `order` the shared counter points to, until none is left;
    it ends itself if the main process dies, ignores Ctrl-C (the main process stops it) and dies at
    once on SIGTERM."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    for fd in close_fds:  # the run's locks: only the main process may hold them, so its death frees them
        try:
            os.close(fd)
        except OSError:
            pass

    def watch_parent() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(3)

    threading.Thread(target=watch_parent, daemon=True).start()
    try:
        def take() -> int | None:
            with counter.get_lock():
                taken = counter.value
                counter.value += 1
            return order[taken] if taken < len(order) else None

        last = work(take, lambda kind, number, payload: conn.send((kind, number, payload)))
        conn.send(("segment", -1, last))
    except BaseException as exc:  # noqa: BLE001 - reported to the main process, which stops the run
        code = exc.errno if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS) else 0
        try:
            conn.send(("failed", -1, (code, f"{type(exc).__name__}: {exc}".splitlines()[0][:200])))
        except OSError:
            pass
    finally:
        conn.close()
