"""The documents the office imported, as the console lists them: newest first, how many
tasks each gave, the proposals read from its sentences still waiting for the office.

Which document a file is and what a re-import changes: ``data.revisions``.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from data.domain import TaskStatus
from data.models import Assignment, Document, Task


def list_documents(session: Session) -> list[Document]:
    """Every document, newest import first."""
    return list(session.scalars(select(Document).order_by(Document.imported_at.desc())))


def find_document(session: Session, key: str) -> Document | None:
    return session.scalar(select(Document).where(Document.key == key))


def document_task_count(session: Session) -> dict[int, int]:
    """Document id → how many tasks and targets it gave (removed ones included)."""
    rows = session.execute(select(Task.document_id, func.count()).group_by(Task.document_id))
    return {int(document_id): int(count) for document_id, count in rows}


def get_document(session: Session, document_id: int) -> Document | None:
    return session.get(Document, document_id)


def document_proposals(session: Session, document_id: int) -> list[Task]:
    """A document's tasks read from its sentences still waiting for the office's word."""
    return list(
        session.scalars(
            select(Task)
            .where(Task.document_id == document_id, Task.status == TaskStatus.PROPOSED)
            .options(selectinload(Task.assignments).selectinload(Assignment.unit))
            .order_by(Task.number)
        )
    )


def proposal_counts(session: Session) -> dict[int, int]:
    """Document id → how many of its proposals wait for the office."""
    rows = session.execute(
        select(Task.document_id, func.count())
        .where(Task.status == TaskStatus.PROPOSED)
        .group_by(Task.document_id)
    )
    return {int(document_id): int(count) for document_id, count in rows}
