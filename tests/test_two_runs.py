"""Two ``nhacviec run`` on one store (issue 21): one sends, the other stands by.

Before the dispatch lease both paced their own sending, so together they could pass
Telegram's 30 messages a second; now the fake Bot API never sees more than 30 in any
second, and killing the active process (kill -9, mid-dispatch) lets the other take
over and deliver the rest: nothing lost; at most the parts in flight at the kill
(one per row being sent: 4) could go twice, and the run shows how many did.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.fakes.bot_runs import Store, all_delivered, outcome, start_run, until
from tests.fakes.telegram_server import FakeBotApi

COUNT, CHATS = 600, 200  # 20 s at 30/s; 3 per group (under 20 a minute)


async def test_two_runs_share_the_pace_and_the_survivor_delivers_the_rest(
    tmp_path: Path,
) -> None:
    store = await asyncio.to_thread(Store.make, "postgresql", tmp_path)
    runs = []
    try:
        texts = await asyncio.to_thread(store.seed, COUNT, CHATS)
        async with FakeBotApi() as fake:
            first = await start_run(store, fake, tmp_path, "first")
            runs.append(first)
            await until(lambda: len(fake.delivered) >= 30, 60)
            second = await start_run(store, fake, tmp_path, "second")
            runs.append(second)
            await until(lambda: "standing by" in second.log.read_text(), 60)
            together = fake.busiest(1.0)  # both running: the pace is still one bot's
            first.kill()  # mid-dispatch
            killed_at = len(fake.delivered)
            took = await until(all_delivered(fake, texts), 90)
            result = outcome(fake, texts, after_kill=took)
        print(result)
        assert result.lost == 0
        assert result.busiest_second <= 30
        assert result.doubled <= 4  # only parts in flight at the kill may go twice
        assert killed_at < COUNT  # the survivor really sent a part
        assert took < 60  # taken over within a minute, the rest delivered
        assert together <= 30
    finally:
        for run in runs:
            await run.stop()
        await asyncio.to_thread(store.drop)
