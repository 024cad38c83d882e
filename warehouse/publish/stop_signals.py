"""Ctrl-C, SIGTERM and SIGHUP during a build: cleanup runs, no traceback, and the message tells the truth.

A stop signal raises BuildError, so that the build's `finally` blocks end dbt and remove the private
folder. While the build publishes (the rename of the warehouse and the move of its page) a signal is
held instead, and taken once both are in place: a signal can never publish one without the other,
and its message says whether the new warehouse had been published when the build stopped.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

from warehouse.errors import BuildError

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class BuildStop:
    def __init__(self) -> None:
        self.published: str | None = None
        self._holding = False
        self._held: list[int] = []

    def message(self, signal_number: int) -> str:
        name = signal.Signals(signal_number).name
        if self.published is None:
            return f"build stopped by {name}; the published warehouse was left as it was"
        return (f"build stopped by {name} after it had published {self.published}; only the removal of "
                f"its private files was cut short (the next build removes them)")

    def handle(self, signal_number: int, _frame) -> None:
        # the flag, not a signal mask: Python runs handlers in the main thread whichever thread the
        # signal reached (DuckDB keeps threads of its own)
        if self._holding:
            self._held.append(signal_number)
            return
        raise BuildError(self.message(signal_number))

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Steps a stop signal must not split; a signal that arrives meanwhile stops the build after them."""
        self._holding = True
        try:
            yield
        finally:
            self._holding = False
        if self._held:
            raise BuildError(self.message(self._held[0]))


@contextlib.contextmanager
def stop_signals_raise_build_error(stop: BuildStop) -> Iterator[None]:
    """Signal handlers can only be installed from the main thread; elsewhere Python's defaults stay."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, stop.handle) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
