"""Fixtures for the end-to-end tests against the telegram-test-api emulator.

``emulator_server`` (session): the emulator process, installed on first use.
``telegram_emulator`` (function): a fresh bot token on that server, the bridge state and
a human user's client; see emulator.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import NoReturn

import pytest

from .emulator import EmulatorServer, EmulatorUnavailable, TelegramEmulator


def _unavailable(exc: EmulatorUnavailable) -> NoReturn:
    """A missing emulator fails the suite, like a missing PostgreSQL: never a silent skip."""
    pytest.fail(
        f"telegram-test-api emulator unavailable (needs node and npm): {exc}", pytrace=False
    )


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[EmulatorServer]:
    try:
        server = EmulatorServer.start()
    except EmulatorUnavailable as exc:
        _unavailable(exc)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def telegram_emulator(emulator_server: EmulatorServer) -> AsyncIterator[TelegramEmulator]:
    if not emulator_server.alive():
        pytest.fail(f"the emulator process died (exit code {emulator_server.proc.poll()})")
    async with TelegramEmulator(emulator_server.api_url) as emulator:
        yield emulator
