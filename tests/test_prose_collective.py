"""Directions to everyone: who "everyone" is and when such a direction is a duty."""

from __future__ import annotations

from typing import Any

from data.importers.prose import collective, not_tasks
from data.importers.prose.owner import _Owner
from data.text import fold
from data.units import Resolution

PARTY = _Owner("Các cấp ủy, tổ chức đảng", Resolution(), broad=True)
OFFICES = _Owner("Các cơ quan", Resolution(), broad=True)
NAMED = _Owner("Sở Y tế", Resolution(unknown=("Sở Y tế",)))


def _duty(owner: _Owner, what: str, cue: str = "", **facts: Any) -> bool:
    known: dict[str, Any] = {
        "explicit": True,
        "directive": False,
        "scope_directs": False,
        "notice": False,
        "rendering": False,
        "own_item": False,
        "directed": False,
        "listed": False,
        "alone": True,
    }
    return collective.duty(owner, fold(what), fold(cue), **(known | facts))


def test_every_body_is_addressed_to_all() -> None:
    assert collective.addressed_to_all(fold("Các sở, ban, ngành"))
    assert collective.addressed_to_all(fold("Các cấp ủy, tổ chức đảng"))
    assert collective.addressed_to_all(fold("các địa phương"))
    assert not collective.addressed_to_all(fold("Sở Y tế"))


def test_the_cues_that_make_items_everyone_duties() -> None:
    assert collective.directs_everyone(
        fold("Ban Thường vụ yêu cầu các cấp ủy thực hiện tốt các nhiệm vụ sau:")
    )
    assert not collective.directs_everyone(
        fold("Ban Thường vụ đề nghị các cấp ủy thực hiện các nhiệm vụ sau:")
    )
    assert collective.requires(fold("Ban Thường vụ Tỉnh ủy yêu cầu"))
    assert not collective.requires(fold("Ban Thường vụ Tỉnh ủy đề nghị"))
    assert collective.duties_follow(fold("… yêu cầu các cấp ủy làm tốt những nội dung chủ yếu."))
    assert collective.duties_follow(fold("… yêu cầu các cấp ủy làm tốt 7 nhiệm vụ trọng tâm."))
    assert not collective.duties_follow(fold("… yêu cầu các cấp ủy tổ chức quán triệt Chỉ thị."))
    assert collective.ordinal(fold("Thứ hai, bảo đảm an ninh trật tự"))
    assert collective.ordinal(fold("Một là, tăng cường tuyên truyền"))
    assert not collective.ordinal(fold("Thứ trưởng chủ trì"))


def test_a_numbered_item_to_everyone_is_a_duty_in_a_directive() -> None:
    assert _duty(PARTY, "quán triệt Chỉ thị", own_item=True, directive=True)
    assert not _duty(NAMED, "quán triệt Chỉ thị", own_item=True, directive=True)


def test_in_a_conference_notice_an_undated_direction_to_everyone_is_an_exhortation() -> None:
    assert not _duty(PARTY, "tập trung lãnh đạo", own_item=True, notice=True)
    # … unless the intro above directs the items
    assert _duty(PARTY, "tập trung lãnh đạo", own_item=True, notice=True, scope_directs=True)


def test_a_story_keeps_the_speaker_direction_to_any_collective_addressee() -> None:
    speaker = "Đồng chí đề nghị"
    assert _duty(PARTY, "tập trung lãnh đạo", speaker, rendering=True, directive=True)
    assert _duty(OFFICES, "đẩy nhanh giải phóng mặt bằng", speaker, rendering=True, directive=True)
    # a later sentence of that speech names everyone with no cue of its own: still a duty
    assert _duty(OFFICES, "chủ động phối hợp", "", rendering=True, directive=True, spoken=True)
    assert not _duty(OFFICES, "chủ động phối hợp", "", rendering=True, directive=True)
    # the courtesy that closes a letter ("đề nghị các cơ quan quan tâm thực hiện") is no work
    assert not_tasks.only_joins(fold("quan tâm thực hiện"))


def test_support_and_prohibitions_to_everyone_are_no_duty() -> None:
    assert not _duty(PARTY, "phối hợp chặt chẽ với ngành y tế", own_item=True, directive=True)
    assert not _duty(PARTY, "không tổ chức đi chúc Tết cấp trên", own_item=True, directive=True)


def test_a_lead_in_without_a_colon_names_who_does_the_items_below() -> None:
    lead = "Ban Thường vụ yêu cầu các cấp ủy, tổ chức đảng thực hiện tốt những nội dung chủ yếu."
    item, paragraph = "1. Tăng cường công tác tuyên truyền.", "Tăng cường công tác tuyên truyền."
    assert collective.leads_duties(lead, item, directive=False, notice=False)
    assert collective.leads_duties(lead, paragraph, directive=True, notice=False)
    # a conference's notice: the undated items stay the office's call
    assert not collective.leads_duties(lead, item, directive=False, notice=True)
    # the body ends, or the sentence names no duties to follow
    assert not collective.leads_duties(lead, "\t", directive=True, notice=False)
    assert not collective.leads_duties(
        "Ban Thường vụ yêu cầu các cấp ủy quán triệt Chỉ thị.", item, directive=True, notice=False
    )


def test_a_conclusions_lead_lists_the_duties_below() -> None:
    assert collective.lists_duties(
        fold("…, Phòng Tổ chức cụ thể hóa, tập trung một số nhiệm vụ sau:")
    )
    assert not collective.lists_duties(fold("Phòng Tổ chức cụ thể hóa kết luận này."))
