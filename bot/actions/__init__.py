"""The office's verbs, one place for each: what a unit or the office does to the record.

The chat (``bot.service``), the console (``bot.web``) and the command line (``bot.cli*``)
only parse, call a verb here with an ``Actor``, and render its ``Outcome``. Each verb
applies the one rule set, writes the task's history, the audit log and the notices to
other chats. Nothing outside this package changes a part, enqueues a message or writes
the audit log (``tests/test_architecture.py``).
"""

from bot.actions.base import Actor, Changed, Effect, Outcome, Problem, Refusal, Surface
from bot.actions.completion import Rules

__all__ = ["Actor", "Changed", "Effect", "Outcome", "Problem", "Refusal", "Rules", "Surface"]
