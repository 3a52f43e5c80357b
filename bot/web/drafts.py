"""Uploads between "Đọc thử" and "Lưu": on disk under the data directory, within a budget.

A plan may be 20 MB and several clerks may read several plans: keeping them in the
process's memory grows it by hundreds of MB. Each draft is two files in
``<data_dir>/drafts``: the upload as sent and a small JSON of what the office fixed on
the review page. Drafts live two hours; the folder holds at most ``budget`` bytes, the
oldest drafts making room for a new one. A file is written under a temporary name and
renamed, so a draft is whole or absent.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TTL = dt.timedelta(hours=2)
BUDGET = 100 * 1024 * 1024  # bytes of uploads kept at once


@dataclass(frozen=True)
class Stored:
    name: str
    content: bytes
    meta: dict[str, Any]


class DiskDrafts:
    def __init__(self, folder: Path, budget: int = BUDGET, ttl: dt.timedelta = TTL) -> None:
        self.folder, self.budget, self.ttl = folder, budget, ttl
        self._lock = threading.Lock()

    def _paths(self, token: str) -> tuple[Path, Path]:
        return self.folder / f"{token}.bin", self.folder / f"{token}.json"

    def _entries(self) -> list[tuple[float, str, int]]:
        """(written at, token, size) of each draft, oldest first."""
        found = []
        for path in self.folder.glob("*.json"):
            content = path.with_suffix(".bin")
            try:
                found.append((path.stat().st_mtime, path.stem, content.stat().st_size))
            except OSError:
                continue
        return sorted(found)

    def _remove(self, token: str) -> None:
        for path in self._paths(token):
            path.unlink(missing_ok=True)

    def put(
        self, user_id: int, now: dt.datetime, name: str, content: bytes, meta: dict[str, Any]
    ) -> str | None:
        """Keep an upload; its token, or None when it is larger than the whole budget."""
        if len(content) > self.budget:
            return None
        token = secrets.token_urlsafe(18)
        with self._lock:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._expire(now)
            entries = self._entries()
            used = sum(size for _, _, size in entries)
            while entries and used + len(content) > self.budget:
                _, oldest, size = entries.pop(0)
                self._remove(oldest)
                used -= size
            body, head = self._paths(token)
            _write(body, content)
            _write(head, _meta(user_id, now, name, meta))
        return token

    def get(self, user_id: int, token: str, now: dt.datetime) -> Stored | None:
        if not token.replace("-", "").replace("_", "").isalnum():
            return None
        body, head = self._paths(token)
        try:
            record = json.loads(head.read_text("utf-8"))
            content = body.read_bytes()
        except (OSError, ValueError):
            return None
        made = dt.datetime.fromisoformat(record["at"])
        if record.get("user") != user_id or now - made >= self.ttl:
            return None
        return Stored(record["name"], content, record.get("meta", {}))

    def save(self, user_id: int, token: str, now: dt.datetime, meta: dict[str, Any]) -> None:
        """Keep the fixes typed on the review page (the draft's age is its upload's)."""
        head = self._paths(token)[1]
        with self._lock:
            try:
                record = json.loads(head.read_text("utf-8"))
            except (OSError, ValueError):
                return
            if record.get("user") != user_id:
                return
            record["meta"] = meta
            _write(head, json.dumps(record, ensure_ascii=False).encode())

    def drop(self, token: str) -> None:
        with self._lock:
            self._remove(token)

    def used(self) -> int:
        return sum(size for _, _, size in self._entries()) if self.folder.exists() else 0

    def _expire(self, now: dt.datetime) -> None:
        for _, token, _ in self._entries():
            try:
                record = json.loads(self._paths(token)[1].read_text("utf-8"))
                made = dt.datetime.fromisoformat(record["at"])
            except (OSError, ValueError, KeyError):
                self._remove(token)
                continue
            if now - made >= self.ttl:
                self._remove(token)


def _meta(user_id: int, now: dt.datetime, name: str, meta: dict[str, Any]) -> bytes:
    record = {"user": user_id, "at": now.isoformat(), "name": name, "meta": meta}
    return json.dumps(record, ensure_ascii=False).encode()


def _write(path: Path, content: bytes) -> None:
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "wb") as out:
        out.write(content)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)
