"""The demo in the terminal: an extension's round trip, and a console user for its store.

A unit asks for more time (/giahan); the request reaches the office's group on the
screen; the office approves (/duyet); the approval reaches the unit's group. The demo
prints the command that adds a console user to its own store; run as printed, the
new login is in the same store as the demo's (``users list`` shows both).
"""

from __future__ import annotations

import io
import re
import sys
import threading
from datetime import date

import httpx
import pytest

from bot.cli import main
from bot.demo import run_demo
from bot.settings import Settings


def test_the_round_trip_and_a_user_added_to_the_demo_store(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # type: ignore[arg-type]
    out = io.StringIO()
    steps: list[str] = []
    listed: list[str] = []
    signed_in: list[int] = []

    class Typist(io.StringIO):
        """The person at the demo, reading the screen before typing."""

        def readline(self, size: int | None = -1) -> str:
            screen = out.getvalue()
            steps.append(screen)
            if len(steps) == 1:
                url = re.search(r"NHACVIEC_DATABASE_URL=(\S+) nhacviec users add", screen)
                assert url, screen[-800:]
                monkeypatch.setenv("NHACVIEC_DATABASE_URL", url.group(1))
                monkeypatch.setattr(sys, "stdin", io.StringIO("mat-khau-cua-lan\n"))
                assert main(["users", "add", "lan", "--role", "office"]) == 0
                assert main(["users", "list"]) == 0
                listed.append(capsys.readouterr().out)
                address = re.search(r"http://127\.0\.0\.1:\d+", screen)
                assert address
                signed_in.append(_sign_in(address.group(0), "lan", "mat-khau-cua-lan"))
                number = re.search(r"/done (\d+)", screen)
                assert number
                return f"/giahan {number.group(1)} 30/9/2026 chờ số liệu quý III\n"
            if len(steps) == 2:
                code = re.findall(r"/duyet (\S+)", screen)
                assert code, screen[-800:]
                return f"@vanphong /duyet {code[-1]}\n"
            return ""

    settings = Settings(telegram_bot_token=None, zalo_bot_token=None, web_listen="127.0.0.1:0")
    codes: list[int] = []
    worker = threading.Thread(
        target=lambda: codes.append(run_demo(settings, date(2026, 6, 16), Typist(), out))
    )
    worker.start()
    worker.join(timeout=120)
    screen = out.getvalue()
    assert codes == [0], screen[-1000:]
    # the request reached the office's group, the decision the unit's
    after_request = screen.split("/giahan", 1)[1]
    assert "→ vanphong" in after_request and "xin gia hạn" in after_request
    after_approval = screen.split("/duyet", 2)[2]
    assert "→ hcqt" in after_approval
    assert "Văn phòng đã duyệt gia hạn" in after_approval
    # the user added as printed is in the demo's store, and signs in to its console
    assert re.search(r"^lan\s+văn phòng$", listed[0], re.MULTILINE), listed
    assert re.search(r"^vanphong\s+văn phòng$", listed[0], re.MULTILINE), listed
    assert signed_in == [303]


def _sign_in(base: str, login: str, password: str) -> int:
    with httpx.Client(base_url=base) as client:
        page = client.get("/login").text
        token = re.search(r'name="csrf" value="([^"]+)"', page)
        assert token
        answer = client.post(
            "/login",
            data={"csrf": token.group(1), "login": login, "password": password, "next": "/"},
        )
        return answer.status_code
