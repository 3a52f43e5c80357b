"""Signing in and out of the console (``bot.web.app`` routes /login and /logout here).

* **Throttled, never locked**: failed sign-ins are delayed per account at an address,
  per account and per address (``auth.Throttle``); a clerk's mistakes do not keep a
  colleague behind the same NAT out, nor an attacker the owner.
* **Hashing off the pages' path**: the account is read in the thread pool, argon2 runs
  on its own worker with a budget (``auth.HASHING``); over the budget the answer is
  "busy, try again" at once. No thread of the pages ever waits for a hash.
* **Signing out ends the session on the server**: the user's session version moves on
  (``users.end_sessions``), so a copied cookie stops working too.
* A failed sign-in keeps the login name typed.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bot.actions.base import Actor, audit
from bot.limits import form_refusal
from bot.web import auth
from bot.web.auth import HASHING, CookieSession
from bot.web.core import Web, _csrf_ok, _form, _refused, _web
from data import db, users

WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."
BUSY = "Máy chủ đang bận xử lý nhiều lượt đăng nhập. Hãy thử lại sau ít giây."


def _login_page(
    web: Web,
    cookie: CookieSession,
    next_url: str,
    error: str = "",
    status: int = 200,
    login: str = "",
) -> HTMLResponse:
    html = web.env.get_template("login.html").render(
        csrf=cookie.csrf, next=next_url, error=error, user=None, nav=(), flash=[], login=login
    )
    return HTMLResponse(html, status)


def _safe_next(value: str) -> str:
    return value if value.startswith("/") and not value.startswith("//") else "/"


@dataclass(frozen=True)
class _Account:
    id: int
    password_hash: str


def _find(web: Web, name: str) -> _Account | None:
    with web.runtime.sessions() as session:
        user = users.find_user(session, name) if name else None
        return None if user is None else _Account(user.id, user.password_hash)


def _verify(account: _Account | None, password: str) -> tuple[bool, str | None]:
    """(right password, a new hash when the parameters changed) on the hashing worker."""
    if account is None:
        auth.burn_time(password)  # the same work: the timing tells no login exists
        return False, None
    if not auth.verify_password(account.password_hash, password):
        return False, None
    fresh = auth.hash_password(password) if auth.needs_rehash(account.password_hash) else None
    return True, fresh


def _signed_in(web: Web, account: _Account, fresh_hash: str | None, client: str) -> CookieSession:
    now = web.runtime.clock()
    with db.transaction(web.runtime.sessions) as session:
        user = users.get_user(session, account.id)
        if user is None:
            raise LookupError("the user was removed while signing in")
        if fresh_hash is not None:
            users.rehash(user, fresh_hash, now)
        audit(session, Actor.console(user.id, user.login, now), "login", client)
        return CookieSession(user_id=user.id, version=user.session_version)


async def login(request: Request) -> Response:
    web = _web(request)
    cookie = web.signer.loads(request.cookies.get(auth.COOKIE)) or CookieSession()
    if request.method == "GET":
        response: Response = _login_page(
            web, cookie, _safe_next(request.query_params.get("next", "/"))
        )
        web.set_cookie(request, response, cookie)
        return response
    form = await _form(request)
    if not _csrf_ok(request, cookie, form):
        response = _refused("Yêu cầu thiếu mã bảo vệ (CSRF). Hãy tải lại trang.", 403)
        web.set_cookie(request, response, cookie)
        return response
    assert form is not None
    name = str(form.get("login", "")).strip()[:100]
    password = str(form.get("password", ""))[:1000]
    next_url = _safe_next(str(form.get("next", "/")))
    client = request.client.host if request.client else "?"
    login_key = users.normal_login(name)

    def answer(error: str, status: int) -> Response:
        return _login_page(web, cookie, next_url, error, status, login=name)

    refused = form_refusal(form.multi_items())  # a NUL never reaches the database
    wait = 0.0 if refused else web.throttle.attempt(login_key, client)  # failed until it succeeds
    if refused:
        response = answer(refused, 400)
    elif wait > 0:
        text = f"Đăng nhập sai quá nhiều lần. Hãy thử lại sau {auth.wait_text(wait)}."
        response = answer(text, 429)
    else:
        account = await run_in_threadpool(_find, web, name)
        checked = await HASHING.run(_verify, account, password)
        if checked is None:  # over the hashing budget: not tried, so not counted
            web.throttle.forget(login_key, client)
            response = answer(BUSY, 503)
        elif not checked[0] or account is None:
            response = answer(WRONG, 401)
        else:
            fresh = await run_in_threadpool(_signed_in, web, account, checked[1], client)
            web.throttle.succeeded(login_key, client)
            cookie = fresh
            response = RedirectResponse(next_url, status_code=303)
    web.set_cookie(request, response, cookie)
    return response


def _end_session(web: Web, cookie: CookieSession) -> None:
    if cookie.user_id is None:
        return
    with db.transaction(web.runtime.sessions) as session:
        users.end_sessions(session, cookie.user_id, cookie.version, web.runtime.clock())


async def logout(request: Request) -> Response:
    web = _web(request)
    cookie = web.signer.loads(request.cookies.get(auth.COOKIE)) or CookieSession()
    form = await _form(request)
    if not _csrf_ok(request, cookie, form):
        return _refused("Yêu cầu thiếu mã bảo vệ (CSRF).", 403)
    await run_in_threadpool(_end_session, web, cookie)
    response = RedirectResponse("/login", status_code=303)
    web.set_cookie(request, response, CookieSession())
    return response
