"""An iterator read one step ahead in a thread of its own: the store's time hidden.

The database runs in its own process; while it sorts and sends the next batch of rows
(the driver waits without Python's lock), the caller writes the previous one. Only the
thread touches what the iterator reads from (its connection), so the caller must leave
that connection alone until the iterator is spent. At most ``depth`` items wait in the
queue: memory stays a few batches'. Closing the iterator early stops the thread; an
error in it is raised where the caller reads.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")

_WAIT = 0.1  # seconds between looks at the stop flag while the queue is full


class _End:
    """What the thread sends last: nothing more, or the error that stopped it."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


def read_ahead(items: Iterator[T], depth: int = 2) -> ReadAhead[T]:
    """``items`` as they come, ``depth`` of them read ahead by a thread."""
    found: queue.Queue[T | _End] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: T | _End) -> bool:
        while not stop.is_set():
            try:
                found.put(item, timeout=_WAIT)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        end = _End()
        try:
            for item in items:
                if not put(item):
                    return
        except BaseException as error:  # raised again in the caller's thread
            end = _End(error)
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()  # a generator's cleanup, in the thread that ran it
        put(end)

    thread = threading.Thread(target=produce, name="read-ahead", daemon=True)
    thread.start()
    return ReadAhead(found, stop, thread)


class ReadAhead(Iterator[T]):
    """The caller's end: the queue's items until the thread's last word."""

    def __init__(
        self, found: queue.Queue[T | _End], stop: threading.Event, thread: threading.Thread
    ) -> None:
        self._found, self._stop, self._thread = found, stop, thread
        self._over = False

    def __next__(self) -> T:
        if self._over:
            raise StopIteration
        item = self._found.get()
        if isinstance(item, _End):
            self.close()
            if item.error is not None:
                raise item.error
            raise StopIteration
        return item

    def close(self) -> None:
        """Stop the thread (its next put gives up) and wait for it: the connection is
        the caller's again."""
        self._over = True
        self._stop.set()
        self._thread.join()

    def __del__(self) -> None:  # dropped unread: the thread must not wait forever
        self._stop.set()
