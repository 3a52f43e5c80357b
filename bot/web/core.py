"""The console's frame: pages, CSRF, the cookie, limits (sign-in: ``bot.web.signin``).

Every page is a plain function run in the thread pool (``run_in_threadpool``): the
database and the readers never run on the event loop. ``page`` wraps each
one: it reads the signed cookie, finds the user (and checks the session version),
refuses a POST without the CSRF token (403), a form over the bounds (400,
``bot.limits.form_refusal``), a change by a viewer (403), and signs the cookie again
on the way out.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import anyio
import anyio.to_thread
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.access import Reader, may_read
from bot.actions.base import Actor, audit
from bot.limits import form_refusal
from bot.runtime import Runtime
from bot.web import auth
from bot.web.auth import CookieSession, Signer, Throttle
from bot.web.drafts import DiskDrafts
from bot.web.figures import Figures
from data import day_text, db, users
from data.clock import local_date
from data.importers import MAX_FILE_BYTES
from data.models import Task
from data.parts import Change
from data.taskview import CONFIDENTIAL_TITLE
from data.users import UserRole

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
# The import limit, plus room for the multipart envelope and the form's other fields.
BODY_LIMIT = MAX_FILE_BYTES + 256 * 1024
PAGE_WORKERS = 4  # pages at work at once (the engine's pool holds 5 connections)

NAV = (
    ("/", "Tổng quan"),
    ("/documents", "Văn bản"),
    ("/tasks", "Nhiệm vụ"),
    ("/units", "Đơn vị"),
    ("/extensions", "Gia hạn"),
    ("/queue", "Hàng đợi"),
    ("/report", "Báo cáo"),
)


# -- small helpers the templates use --------------------------------------------------------


def vn_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        from data.clock import VN_TZ

        return value.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


def vn_percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%".replace(".", ",")


def read_day(text: str | None) -> dt.date | None:
    """A typed day (the one grammar, ``data.day_text``), or None when empty or wrong."""
    return day_text.read_day(text)


@dataclass(frozen=True)
class Viewer:
    """The signed-in user, detached from the session it was read in."""

    id: int
    login: str
    role: UserRole

    @property
    def can_write(self) -> bool:
        return self.role is UserRole.OFFICE


@dataclass
class Ctx:
    """What a page function gets: the request, the runtime, the user, the form."""

    request: Request
    web: Web
    user: Viewer
    cookie: CookieSession
    form: FormData | None
    flash: list[str] = field(default_factory=list)

    @property
    def runtime(self) -> Runtime:
        return self.web.runtime

    def now(self) -> dt.datetime:
        return self.web.runtime.clock()

    def today(self) -> dt.date:
        return local_date(self.now())

    def change(self, note: str = "") -> Change:
        return Change(self.now(), self.actor, "web", note)

    def acting(self) -> Actor:
        """The signed-in clerk as the office's verbs see them."""
        return Actor.console(self.user.id, self.user.login, self.now())

    @property
    def actor(self) -> str:
        return f"web:{self.user.login}"

    def audit(self, session: Any, action: str, detail: str) -> None:
        audit(session, self.acting(), action, detail)

    def field(self, name: str, default: str = "") -> str:
        if self.form is None:
            return str(self.request.query_params.get(name, default))
        value = self.form.get(name, default)
        return value if isinstance(value, str) else default

    @property
    def reader(self) -> Reader:
        return Reader.OFFICE if self.user.can_write else Reader.VIEWER

    def hides(self, task: Task) -> bool:
        """Whether this user may not read the task's words (a viewer, a confidential
        task): its title, the notes and reasons written about it, its source."""
        return not may_read(self.reader, task.is_confidential)

    def title(self, task: Task) -> str:
        """A task's title as this user may read it (viewers never see confidential ones)."""
        return CONFIDENTIAL_TITLE if self.hides(task) else task.title

    def render(self, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        values.update(
            user=self.user,
            csrf=self.cookie.csrf,
            nav=NAV,
            path=self.request.url.path,
            flash=[*self.cookie.flash, *self.flash],
            can_write=self.user.can_write,
        )
        self.cookie.flash = []
        return HTMLResponse(self.web.env.get_template(template).render(values), status)

    def redirect(self, url: str, *messages: str) -> Response:
        self.cookie.flash.extend(messages)
        if self.request.headers.get("hx-request"):
            return Response(status_code=204, headers={"HX-Redirect": url})
        return RedirectResponse(url, status_code=303)


PageFn = Callable[[Ctx], Response]


class Web:
    """The console's state: runtime, signer, throttle, drafts, templates."""

    def __init__(self, runtime: Runtime, bot_username: Callable[[], str | None] | None) -> None:
        self.runtime = runtime
        self.bot_username = bot_username or (lambda: None)
        with db.transaction(runtime.sessions) as session:
            secret = users.session_secret(session, runtime.clock())
        self.signer = Signer(secret)
        self.throttle = Throttle()
        self.drafts = DiskDrafts(runtime.settings.data_dir / "drafts")
        self.figures = Figures(runtime.sessions)  # the counts kept, and counted ahead
        # Pages at work at once: more wait their turn here (no timeout) instead of for a
        # pooled connection (30 s, then HTTP 500); below the pool's size, so none waits there.
        self.pages = anyio.CapacityLimiter(page_workers(runtime.engine.pool))
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["d"] = vn_date
        self.env.filters["pct"] = vn_percent

    def compile_templates(self) -> None:
        """Every page's template compiled once, when the console starts (a fifth of a
        second), not by each page's first visitor."""
        for name in self.env.list_templates(extensions=["html"]):
            self.env.get_template(name)

    def viewer(self, cookie: CookieSession) -> Viewer | None:
        if cookie.user_id is None:
            return None
        with self.runtime.sessions() as session:
            user = users.get_user(session, cookie.user_id)
            if user is None or user.session_version != cookie.version:
                return None
            return Viewer(user.id, user.login, user.role)

    def set_cookie(self, request: Request, response: Response, cookie: CookieSession) -> None:
        response.set_cookie(
            auth.COOKIE,
            self.signer.dumps(cookie),
            max_age=auth.MAX_AGE,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/",
        )


def page_workers(pool: Any) -> int:
    """Pages at once: ``PAGE_WORKERS``, fewer when the pool holds fewer connections."""
    size = getattr(pool, "size", None)
    if not callable(size):
        return PAGE_WORKERS
    return max(1, min(PAGE_WORKERS, int(size()) + max(0, int(getattr(pool, "_max_overflow", 0)))))


def _web(request: Request) -> Web:
    web: Web = request.app.state.web
    return web


async def _form(request: Request) -> FormData | None:
    if request.method != "POST":
        return None
    return await request.form(max_files=2, max_fields=2000, max_part_size=1024 * 1024)


def _csrf_ok(request: Request, cookie: CookieSession, form: FormData | None) -> bool:
    given = request.headers.get(auth.CSRF_HEADER)
    if not given and form is not None:
        value = form.get(auth.CSRF_FIELD)
        given = value if isinstance(value, str) else None
    return auth.same_token(cookie.csrf, given)


def error_page(title: str, text: str, status: int) -> HTMLResponse:
    """A bare page in Vietnamese (no session needed): refusals and errors."""
    title, text = html.escape(title), html.escape(text)
    body = (
        f'<!doctype html><html lang="vi"><meta charset="utf-8"><title>{title}</title>'
        f'<main><h1>{title}</h1><p>{text}</p><p><a href="/">Về trang chủ</a></p>'
        "</main></html>"
    )
    return HTMLResponse(body, status)


def _refused(text: str, status: int) -> HTMLResponse:
    return error_page("Không được phép", text, status)


_HTTP_ERRORS = {
    400: "Yêu cầu không đọc được (biểu mẫu hoặc tệp gửi lên không hợp lệ). Hãy thử lại.",
    404: "Không có trang này.",
    405: "Trang này không nhận kiểu yêu cầu đó.",
    413: "Tệp hoặc biểu mẫu gửi lên quá lớn.",
}


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (a bad form, a wrong method, no such route), in Vietnamese."""
    status = getattr(exc, "status_code", 400)
    text = _HTTP_ERRORS.get(status, "Yêu cầu không thực hiện được.")
    return error_page("Không thực hiện được", text, status)


async def server_error(request: Request, exc: Exception) -> Response:
    """Anything unexpected (the store busy or down…): said in Vietnamese; the log has it."""
    return error_page(
        "Có lỗi",
        "Máy chủ gặp lỗi nên chưa làm được việc này; chưa có gì bị mất. "
        "Hãy thử lại sau ít phút; nếu vẫn lỗi, báo người quản trị hệ thống.",
        500,
    )


def page(*, write: bool = False) -> Callable[[PageFn], Callable[[Request], Awaitable[Response]]]:
    """A signed-in page; ``write``: a POST changes something (office role only)."""

    def wrap(fn: PageFn) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            web = _web(request)
            cookie = web.signer.loads(request.cookies.get(auth.COOKIE)) or CookieSession()
            form = await _form(request)
            if request.method == "POST" and not _csrf_ok(request, cookie, form):
                response: Response = _refused(
                    "Yêu cầu thiếu mã bảo vệ (CSRF). Hãy tải lại trang rồi thử lại.", 403
                )
                web.set_cookie(request, response, cookie)
                return response
            refused = form_refusal(form.multi_items()) if form is not None else None
            if refused is not None:  # bounds at the edge: nothing read or stored
                return error_page("Không thực hiện được", refused, 400)

            def run() -> Response:
                user = web.viewer(cookie)
                if user is None:
                    target = "/login?next=" + quote(request.url.path)
                    if request.headers.get("hx-request"):
                        return Response(status_code=204, headers={"HX-Redirect": target})
                    return RedirectResponse(target, status_code=303)
                if write and request.method == "POST" and not user.can_write:
                    return _refused("Tài khoản chỉ xem: không thay đổi được dữ liệu.", 403)
                return fn(Ctx(request, web, user, cookie, form))

            response = await anyio.to_thread.run_sync(run, limiter=web.pages)
            web.set_cookie(request, response, cookie)
            return response

        endpoint.__name__ = fn.__name__
        return endpoint

    return wrap


# -- the whole application ------------------------------------------------------------------


class BodyLimit:
    """Refuse a request body over ``limit`` bytes (413), by its length or as it streams."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await _too_large(send)
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _too_large(send)


class _TooLarge(Exception):
    pass


async def _too_large(send: Send) -> None:
    text = (
        f"Tệp quá lớn: giới hạn là {MAX_FILE_BYTES // (1024 * 1024)} MB. "
        "Hãy tách phụ lục ra tệp riêng."
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": text})


class SecurityHeaders:
    HEADERS: Mapping[bytes, bytes] = {
        b"x-frame-options": b"DENY",
        b"x-content-type-options": b"nosniff",
        b"referrer-policy": b"same-origin",
        b"content-security-policy": (
            b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            b"frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        ),
    }

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in self.HEADERS.items() if k not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
