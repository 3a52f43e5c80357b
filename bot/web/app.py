"""The office console: a Starlette application over the same runtime as the bot.

Routes from ``bot.web.views`` (Tổng quan, Nhiệm vụ, Đơn vị, Gia hạn, Hàng đợi, Báo
cáo) and ``bot.web.documents`` (Văn bản), sign-in from ``bot.web.core``; the body
limit (the import limit) and security headers wrap everything.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
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
    login,
    logout,
    server_error,
)


def create_app(
    runtime: Runtime, *, bot_username: Callable[[], str | None] | None = None
) -> Starlette:
    routes: list[BaseRoute] = [
        Route("/healthz", health.healthz, methods=["GET"]),  # no sign-in: for monitors
        Route("/login", login, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["POST"]),
        *views.routes(),
        *documents.routes(),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(
        routes=routes, exception_handlers={HTTPException: http_error, 500: server_error}
    )
    app.state.web = Web(runtime, bot_username)
    app.add_middleware(BodyLimit, limit=BODY_LIMIT)
    app.add_middleware(SecurityHeaders)
    return app
