"""Fixtures shared by the Zalo and logging tests: load with ``pytest_plugins``.

* ``zalo_fake``: the fake Zalo Bot API without a socket, reached through
  ``zalo_fake.transport()`` (an ``httpx.MockTransport``); ``zalo_client`` talks to it.
* ``zalo_http_fake`` / ``zalo_http_client``: the same fake over real HTTP on
  127.0.0.1, for what needs a socket (timeouts, httpcore's own logging, webhooks).
* ``logging_restored``: lets a test call ``configure_logging`` in the test process
  and puts the logging set-up and the exception hooks back afterwards.
"""

from __future__ import annotations

import logging
import sys
import threading
import warnings
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from bot.zalo.client import ZaloClient
from tests.fakes.zalo_server import MOCK_BASE_URL, FakeZaloServer

IDLE_WAIT = 0.05  # an idle long poll of the fake ends this fast


@pytest.fixture
def zalo_fake() -> FakeZaloServer:
    """The fake Zalo, in process: nothing listens, ``transport()`` reaches it."""
    return FakeZaloServer(idle_wait=IDLE_WAIT)


@pytest.fixture
async def zalo_client(zalo_fake: FakeZaloServer) -> AsyncIterator[ZaloClient]:
    async with ZaloClient(
        zalo_fake.token, MOCK_BASE_URL, transport=zalo_fake.transport(), timeout=5.0
    ) as client:
        yield client


@pytest.fixture
async def zalo_http_fake() -> AsyncIterator[FakeZaloServer]:
    """The fake Zalo listening on 127.0.0.1 (a free port)."""
    async with FakeZaloServer(idle_wait=IDLE_WAIT) as fake:
        yield fake


@pytest.fixture
async def zalo_http_client(zalo_http_fake: FakeZaloServer) -> AsyncIterator[ZaloClient]:
    """A client of ``zalo_http_fake`` that ignores any proxy set in the environment."""
    async with (
        httpx.AsyncClient(trust_env=False) as http,
        ZaloClient(zalo_http_fake.token, zalo_http_fake.base_url, http=http, timeout=5.0) as zalo,
    ):
        yield zalo


@pytest.fixture
def logging_restored() -> Iterator[None]:
    """Whatever ``configure_logging`` installs in this process is undone after the test."""
    root = logging.getLogger()
    httpx_logger = logging.getLogger("httpx")
    saved = (
        logging.getLogRecordFactory(),
        sys.excepthook,
        threading.excepthook,
        sys.unraisablehook,
        warnings.showwarning,
        root.level,
        list(root.handlers),
        httpx_logger.level,
    )
    try:
        yield
    finally:
        logging.captureWarnings(False)
        logging.setLogRecordFactory(saved[0])
        sys.excepthook = saved[1]
        threading.excepthook = saved[2]
        sys.unraisablehook = saved[3]
        warnings.showwarning = saved[4]
        root.setLevel(saved[5])
        root.handlers[:] = saved[6]
        httpx_logger.setLevel(saved[7])
