"""Drafts between "Đọc thử" and "Lưu": on disk under the data directory, within a budget;
a refused upload leaves nothing; a saved one is removed; a wrong field keeps its value."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from starlette.testclient import TestClient

from bot.runtime import Runtime
from bot.web.drafts import DiskDrafts
from bot.web.forms import read_date
from data import unit_store
from tests.conftest import SAMPLE_PLAN
from tests.web.conftest import NOW, OFFICE, sign_in


def _folder(runtime: Runtime) -> Path:
    return runtime.settings.data_dir / "drafts"


def _files(runtime: Runtime) -> list[str]:
    folder = _folder(runtime)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_draft_is_on_disk_until_saved(client: TestClient, runtime: Runtime) -> None:
    csrf = sign_in(client, *OFFICE)
    review = client.post(
        "/documents",
        data={"csrf": csrf, "doc_date": "01/04/2026"},
        files={"file": ("ke_hoach_moi.txt", SAMPLE_PLAN.read_bytes(), "text/plain")},
    )
    assert review.status_code == 200
    token = re.search(r'action="/documents/draft/([^"]+)"', review.text)
    assert token
    assert _files(runtime) == sorted([f"{token.group(1)}.bin", f"{token.group(1)}.json"])
    kept = (_folder(runtime) / f"{token.group(1)}.bin").read_bytes()
    assert kept == SAMPLE_PLAN.read_bytes()
    saved = client.post(f"/documents/draft/{token.group(1)}", data={"csrf": csrf, "action": "save"})
    assert "Đã lưu «ke_hoach_moi.txt»" in saved.text
    assert _files(runtime) == []


def test_a_refused_upload_leaves_nothing(client: TestClient, runtime: Runtime) -> None:
    csrf = sign_in(client, *OFFICE)
    broken = client.post(
        "/documents",
        data={"csrf": csrf},
        files={"file": ("hong.docx", b"PK\x03\x04 not a docx", "application/octet-stream")},
    )
    assert broken.status_code == 422
    assert 'role="alert"' in broken.text and "Không đọc được tệp «hong.docx»" in broken.text
    assert _files(runtime) == []


def test_a_wrong_document_date_is_said_next_to_the_field(client: TestClient) -> None:
    csrf = sign_in(client, *OFFICE)
    answer = client.post(
        "/documents",
        data={"csrf": csrf, "doc_date": "31/02/2026"},
        files={"file": ("ke_hoach.txt", SAMPLE_PLAN.read_bytes(), "text/plain")},
    )
    assert answer.status_code == 400
    assert 'role="alert" id="err-doc_date">Ngày 31/02/2026 không có' in answer.text
    assert 'value="31/02/2026"' in answer.text


def test_the_budget_drops_the_oldest_and_time_drops_the_rest(tmp_path: Path) -> None:
    drafts = DiskDrafts(tmp_path / "drafts", budget=250)
    first = drafts.put(1, NOW, "a.txt", b"a" * 100, {})
    second = drafts.put(1, NOW + dt.timedelta(seconds=1), "b.txt", b"b" * 100, {})
    assert first and second
    third = drafts.put(1, NOW + dt.timedelta(seconds=2), "c.txt", b"c" * 100, {"x": 1})
    assert third and drafts.used() <= 250
    assert drafts.get(1, first, NOW) is None  # the oldest made room
    found = drafts.get(1, third, NOW)
    assert found is not None and found.content == b"c" * 100 and found.meta == {"x": 1}
    assert drafts.get(2, third, NOW) is None  # another user's draft is not theirs
    assert drafts.put(1, NOW, "big.txt", b"x" * 251, {}) is None
    assert drafts.get(1, third, NOW + dt.timedelta(hours=2, seconds=2)) is None
    drafts.put(1, NOW + dt.timedelta(hours=3), "d.txt", b"d", {})
    assert drafts.used() == 1  # the expired ones removed


def test_dates_say_what_is_wrong() -> None:
    assert read_date("31/02/2026") == (None, "Ngày 31/02/2026 không có.")
    assert read_date("30/6/2026") == (dt.date(2026, 6, 30), "")
    assert read_date("2026-06-30") == (dt.date(2026, 6, 30), "")
    assert read_date("") == (None, "")
    assert "Tháng 13 không có" in read_date("01/13/2026")[1]
    assert "không phải một ngày" in read_date("mai")[1]


def test_a_taken_code_for_a_new_unit_is_said_next_to_it(
    client: TestClient, runtime: Runtime
) -> None:
    csrf = sign_in(client, *OFFICE)
    review = client.post(
        "/documents",
        data={"csrf": csrf, "doc_date": "01/04/2026"},
        files={"file": ("ke_hoach_ma.txt", SAMPLE_PLAN.read_bytes(), "text/plain")},
    ).text
    token = re.search(r'action="/documents/draft/([^"]+)"', review)
    row = re.search(r'name="unitname_(\d+)" value="Ban Xúc tiến đầu tư tỉnh"', review)
    assert token and row
    index = row.group(1)
    assert (
        f'id="unitnew_{index}" name="unitnew_{index}" type="checkbox" value="1" checked' in review
    )
    answer = client.post(
        f"/documents/draft/{token.group(1)}",
        data={
            "csrf": csrf,
            f"unitname_{index}": "Ban Xúc tiến đầu tư tỉnh",
            f"unitnew_{index}": "1",
            f"unitcode_{index}": "hcqt",  # the sample's Chi bộ Hành chính – Quản trị
            "action": "save",
        },
    )
    assert answer.status_code == 422
    assert f'role="alert" id="err-unitcode_{index}">Mã «hcqt» đã có đơn vị khác dùng' in answer.text
    assert f'name="unitcode_{index}" value="hcqt"' in answer.text
    with runtime.sessions() as session:
        assert unit_store.find_unit(session, "Ban Xúc tiến đầu tư tỉnh") is None
