"""How each kind of deadline is named: the one vocabulary's words (``data.vocabulary``),
in a module light enough for ``nhacviec deadline`` (no store, no runtime)."""

from __future__ import annotations

from data.vocabulary import DEADLINE_KIND as KIND_LABELS

__all__ = ["KIND_LABELS"]
