"""Virtual time for concurrency tests: threads that sleep advance a shared clock instead of waiting.

Each worker thread stands for one Lambda container running the handler. When every live worker is asleep,
the clock jumps to the earliest wake-up and that worker resumes; calls to the fake take no virtual time.
So a test of many tenants throttled at one request per second runs in moments, and the virtual total
time is what the same schedule would take for real.
"""

from __future__ import annotations

import heapq
import itertools
import queue
import threading
from collections.abc import Callable
from typing import Any


class VirtualClock:
    def __init__(self) -> None:
        self.now = 0.0
        self._cond = threading.Condition()
        self._live = 0
        self._asleep = 0
        self._sleepers: list[tuple[float, int, threading.Event]] = []
        self._seq = itertools.count()

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        wake = threading.Event()
        with self._cond:
            heapq.heappush(self._sleepers, (self.now + max(0.0, seconds), next(self._seq), wake))
            self._asleep += 1
            self._advance()
        wake.wait()

    def _advance(self) -> None:
        """Called with the lock held: if every live worker sleeps, wake the earliest one."""
        if self._live and self._asleep == self._live and self._sleepers:
            when, _, wake = heapq.heappop(self._sleepers)
            self.now = max(self.now, when)
            self._asleep -= 1
            wake.set()

    def run(self, tasks: list[Callable[[], Any]], workers: int) -> list[Any]:
        """Run ``tasks`` on ``workers`` threads; each result is the task's return value or its exception."""
        pending: queue.Queue[tuple[int, Callable[[], Any]]] = queue.Queue()
        for item in enumerate(tasks):
            pending.put(item)
        results: list[Any] = [None] * len(tasks)

        def worker() -> None:
            try:
                while True:
                    try:
                        index, task = pending.get_nowait()
                    except queue.Empty:
                        return
                    try:
                        results[index] = task()
                    except Exception as err:  # the test inspects failures, it does not hide them
                        results[index] = err
            finally:
                with self._cond:
                    self._live -= 1
                    self._advance()

        threads = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
        with self._cond:
            self._live = len(threads)
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
            if thread.is_alive():
                raise TimeoutError("a worker did not finish: the virtual clock is stuck")
        return results
