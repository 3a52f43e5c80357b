"""The office console: a Starlette application over the same runtime as the bot.

Routes from ``bot.web.views`` (Tổng quan, Nhiệm vụ, Đơn vị, Gia hạn, Hàng đợi, Báo
cáo) and ``bot.web.documents`` (Văn bản), sign-in from ``bot.web.signin``; the body
limit (the import limit) and security headers wrap everything.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot.runtime import Runtime
from bot.web import documents, health, views
from bot.web.core import (
    BODY_LIMIT,
    STATIC,
    BodyLimit,
    SecurityHeaders,
    Web,
    http_error,
    server_error,
)
from bot.web.signin import login, logout

log = logging.getLogger(__name__)


async def client_gone(request: Request, exc: Exception) -> Response:
    """The browser went away mid-request (a closed tab, a lost connection during an
    upload): nothing to answer and nothing wrong with the server, so no traceback."""
    log.info("client left during %s %s", request.method, request.url.path)
    return Response(status_code=400)


def create_app(
    runtime: Runtime,
    *,
    bot_username: Callable[[], str | None] | None = None,
    routes: Sequence[BaseRoute] = (),
) -> Starlette:
    """The console; ``routes`` are served beside it (Zalo's webhook, bot/zalo/webhook.py)."""
    routes = [
        *routes,
        Route("/healthz", health.healthz, methods=["GET"]),  # no sign-in: for monitors
        Route("/login", login, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["POST"]),
        *views.routes(),
        *documents.routes(),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={
            HTTPException: http_error,
            ClientDisconnect: client_gone,
            500: server_error,
        },
    )
    app.state.web = Web(runtime, bot_username)
    app.add_middleware(BodyLimit, limit=BODY_LIMIT)
    app.add_middleware(SecurityHeaders)
    return app
