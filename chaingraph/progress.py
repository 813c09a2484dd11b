"""Notes for people about long work: said only when the work turns out to be long."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Callable, Iterator

#: Starts the wait before a note is given: ``Timer(seconds, callback)`` with ``start()`` and
#: ``cancel()``.  The clock is a module attribute so a test can swap in a simulated one.
Timer = threading.Timer


@contextmanager
def announced(progress: Callable[[str], None] | None, message: str, *, after: float = 1.0) -> Iterator[threading.Event]:
    """Tell ``progress`` ``message`` if the block still runs after ``after`` seconds (0: at once).

    Yields an event that is set once the message was given (so a closing note can follow it).
    With ``progress`` None nothing is said.

    >>> said = []
    >>> with announced(said.append, "working…", after=0) as told:
    ...     pass
    >>> said, told.is_set()
    (['working…'], True)
    >>> with announced(said.append, "quick", after=60) as told:
    ...     pass
    >>> said, told.is_set()
    (['working…'], False)
    """
    told = threading.Event()
    if progress is None:
        yield told
        return

    def say() -> None:
        told.set()
        progress(message)

    if after <= 0:
        say()
        yield told
        return
    timer = Timer(after, say)
    timer.daemon = True
    timer.start()
    try:
        yield told
    finally:
        timer.cancel()
