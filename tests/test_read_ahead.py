"""``data.read_ahead``: a thread reads an iterator ahead; the caller sees the same items,
the same error, and stopping early stops the thread and runs the source's cleanup."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from data.read_ahead import read_ahead


def test_items_come_in_order_and_from_another_thread() -> None:
    threads: set[str] = set()

    def source() -> Iterator[int]:
        for n in range(50):
            threads.add(threading.current_thread().name)
            yield n

    assert list(read_ahead(source())) == list(range(50))
    assert threads == {"read-ahead"}


def test_an_error_in_the_source_is_raised_where_the_caller_reads() -> None:
    def source() -> Iterator[int]:
        yield 1
        raise ValueError("hỏng")

    found = read_ahead(source())
    assert next(found) == 1
    with pytest.raises(ValueError, match="hỏng"):
        next(found)
    with pytest.raises(StopIteration):
        next(found)


def test_reading_stays_at_most_depth_ahead_and_closing_stops_the_source() -> None:
    made: list[int] = []
    cleaned = threading.Event()

    def source() -> Iterator[int]:
        try:
            for n in range(1000):
                made.append(n)
                yield n
        finally:
            cleaned.set()

    found = read_ahead(source(), depth=2)
    assert next(found) == 0
    found.close()
    assert cleaned.is_set()  # the thread joined, the generator closed in it
    assert len(made) <= 4  # the one read, two queued, one waiting to be put
    with pytest.raises(StopIteration):
        next(found)
