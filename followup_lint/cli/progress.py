"""The progress bar of a long run, with an ETA only when there is something to base it on.

click's own ETA divides the time since the bar appeared by the drafts done so far, so the
model load (seconds, before the first draft) is charged to every draft: a 4-second run
showed "7 minutes". And drafts finish in bursts (a batch parsed together, a worker's
chunk), so any rate read inside a burst is noise. Here the clock starts only once the
first few drafts are done (the end of the burst that carries them: cache hits, model load
and the first batch are behind us), and the ETA appears only after more drafts have been
measured over at least a second: remaining drafts / measured throughput. Until then, none.
"""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager

import click

WARMUP = 3  # drafts done before the clock starts
MIN_MEASURED = 3  # drafts measured before an ETA is shown
MIN_SECONDS = 1.0  # and over at least this long
BURST_GAP = 0.01  # updates closer than this (seconds) belong to the same burst


class Eta:
    def __init__(self, total: int, clock=time.monotonic):
        self.total, self.clock = total, clock
        self.done = 0
        self.mark: tuple | None = None  # (time, done) when the clock started
        self._first_burst = False  # still inside the burst that started the clock
        self._last = None  # time of the previous update

    def update(self, n: int = 1) -> None:
        now = self.clock()
        self.done += n
        if self.done >= WARMUP:
            if self.mark is None:
                self.mark, self._first_burst = (now, self.done), True
            elif self._first_burst and now - self._last < BURST_GAP:
                self.mark = (now, self.done)  # the rest of that burst is not throughput either
            else:
                self._first_burst = False
        self._last = now

    def seconds_left(self) -> float | None:
        if self.mark is None or self.done >= self.total:
            return None
        t0, n0 = self.mark
        measured, elapsed = self.done - n0, self.clock() - t0
        if measured < MIN_MEASURED or elapsed < MIN_SECONDS:
            return None
        return (self.total - self.done) * elapsed / measured

    def text(self) -> str | None:
        left = self.seconds_left()
        if left is None:
            return None
        minutes, seconds = divmod(int(round(left)), 60)
        return f"about {minutes}m {seconds:02d}s left" if minutes else f"about {seconds}s left"


@contextmanager
def progress_bar(total: int, label: str = "Linting"):
    """A bar on stderr; yields update(n)."""
    eta = Eta(total)
    with click.progressbar(
        length=total,
        label=label,
        file=sys.stderr,
        show_eta=False,
        show_pos=True,
        show_percent=True,
        item_show_func=lambda _item: eta.text(),
    ) as bar:

        def update(n: int = 1) -> None:
            eta.update(n)
            bar.update(n)

        yield update
