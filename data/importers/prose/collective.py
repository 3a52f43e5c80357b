"""Directions to everyone ("các cấp ủy, tổ chức đảng, chính quyền …"): when they are a duty.

By the document's kind: in a Chỉ thị, a Thông tri, a Kế hoạch or a Công văn that directs, each
numbered duty is a task of that collective owner (the office names who); in a conference's
Thông báo or Kết luận an undated one is an exhortation, unless a lead-in directs the items
("… yêu cầu các cấp ủy … thực hiện tốt các nhiệm vụ sau:"). A portal's story of a conference
keeps the speaker's "đề nghị các cấp ủy, tổ chức đảng …" as the direction itself.
"""

from __future__ import annotations

import re

from data.importers.prose.not_tasks import Rule, only_support, prohibition
from data.importers.prose.owner import _EVERYONE, _Owner
from data.importers.prose.segment import _MARKER, _plain, _sentences
from data.text import fold

# "Ban Bí thư yêu cầu các cấp ủy …": a directive, where "đề nghị" only asks
directs_everyone = Rule(r"\byeu cau (?:cac|toan the|moi|tat ca|cap uy)\b", anywhere=True)


# "Ban Thường vụ Tỉnh ủy yêu cầu …": the issuer requires (where "đề nghị" only asks)
requires = Rule(r"\byeu cau\b", anywhere=True)


# "… yêu cầu các cấp ủy … thực hiện tốt những nội dung chủ yếu.": the items below are the duties
duties_follow = Rule(
    r"\b(?:yeu cau|de nghi|giao)\b.*\b(?:nhung|cac|mot so|\d+) (?:noi dung|nhiem vu|viec|cong viec"
    r"|giai phap|van de)\b[^.;:]{0,30}[.]?$",
    anywhere=True,
)


# "Thứ hai, bảo đảm an ninh …": an ordinal numbers a duty as a marker does
ordinal = Rule(r"^(?:thu (?:nhat|hai|ba|tu|nam|sau|bay|tam|chin|muoi)|mot la|hai la|ba la),")


# "6. Các sở, ban, ngành, địa phương tổ chức trực ban …": every body, as "các cấp, các ngành"
_ALL_BODIES = re.compile(
    r"^(?:cac |tat ca cac )?(?:so(?:,| va) (?:ban|nganh)\b"
    # "các xã, đơn vị liên quan", "các phòng, ban chuyên môn": every body of that kind
    r"|(?:xa|phuong|xa, phuong|xa, thi tran|phong,? ban|phong,? nganh)\b"
    # "các phòng chuyên môn", "các chuyên môn, đơn vị thuộc UBND xã": every office of the body
    r"|(?:phong |co quan )?chuyen mon\b)"
)


def addressed_to_all(folded_owner: str) -> bool:
    """ "các sở, ban, ngành", "các cấp ủy, tổ chức đảng", "các địa phương": every body."""
    return bool(_ALL_BODIES.match(folded_owner) or _EVERYONE.match(folded_owner))


# "Đồng chí đề nghị các cấp ủy …", "Thường trực Tỉnh ủy yêu cầu các ngành, địa phương …": a
# cue to all ("đề nghị các cơ quan quan tâm thực hiện" stays a courtesy: ``only_joins``)
_SPEAKER_CUE = re.compile(r"\b(?:yeu cau|de nghi|giao|luu y|duoc chi dao)\b")


def duty(
    owner: _Owner,
    what: str,
    cue: str,
    *,
    explicit: bool,
    directive: bool,
    scope_directs: bool,
    notice: bool,
    rendering: bool,
    spoken: bool = False,
    own_item: bool,
    directed: bool,
    listed: bool,
    alone: bool,
) -> bool:
    """An undated direction to everyone that is a duty of that collective owner.

    ``what`` is the folded action and ``cue`` the folded words before the owner; ``explicit``:
    the sentence names the owner (else it inherits one); ``directive``: the document is a Chỉ
    thị or a Thông tri; ``scope_directs``: the intro above directs the items ("yêu cầu các cấp
    ủy … sau:"); ``notice``: a conference's Thông báo or Kết luận; ``rendering``: a story of
    one; ``spoken``: a sentence of the speech whose direction came before ("Các sở, ngành …
    chủ động phối hợp …"); ``own_item``: the first sentence of a numbered item; ``directed``:
    the Chỉ thị's issuer requires it of everyone; ``listed``: the owner was followed by ":";
    ``alone``: a paragraph with no marker."""
    name = fold(owner.text)
    return (
        owner.broad
        and (explicit or directive or scope_directs)
        and (
            own_item
            or directed
            or (listed and not explicit)
            or (scope_directs and directive and alone)
            or (rendering and explicit and (bool(_SPEAKER_CUE.search(cue)) or spoken))
        )
        and (
            not explicit
            or bool(_EVERYONE.match(name))
            or (not owner.named and bool(_ALL_BODIES.match(name)))
        )
        and not (explicit and notice and not scope_directs)
        and not only_support(what)
        and not prohibition(what)
    )


def leads_duties(plain: str, following: str, *, directive: bool, notice: bool) -> bool:
    """ "… yêu cầu các cấp ủy, tổ chức đảng … thực hiện tốt những nội dung chủ yếu." then "1. …"
    or, in a Chỉ thị, the duties' paragraphs (``following``: the next paragraph, "\t" where the
    body ends): a lead-in without "sau:" names who does the items below. A conference's notice
    keeps its undated directions to everyone the office's call."""
    if following != "\t" and _cues_its_subitems(plain, _plain(following)):
        return True
    numbered = following != "\t" and bool(
        _MARKER.match(_plain(following)) or ordinal(fold(_plain(following)))
    )
    if not ((directive and following != "\t") or (numbered and not notice)):
        return False
    last = _sentences(plain)[-1:]
    return bool(last and duties_follow(fold(last[0])))


# "2. Yêu cầu các cấp uỷ, tổ chức đảng, các cơ quan chức năng … không để chậm trễ bất cứ công
# việc nào." then "2.1. Tập trung lãnh đạo …": a numbered requirement over its own sub-items
_CUED_ITEM = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,2})\.?\s+(?:yeu cau|de nghi|giao)\s")


def _cues_its_subitems(plain: str, following: str) -> bool:
    """The numbered paragraph opens with "Yêu cầu / Đề nghị / Giao" and the next paragraph is its
    first sub-item ("2." then "2.1."): its addressees own the sub-items, in any document."""
    cued = _CUED_ITEM.match(fold(plain))
    below = _MARKER.match(following)
    return bool(cued and below and (below["num"] or "").startswith(cued["num"] + "."))


# "… cần tập trung một số nhiệm vụ trọng tâm sau:": the duties are listed below
_DUTIES_LISTED = re.compile(
    r"\b(?:nhung|cac|mot so) (?:noi dung|nhiem vu)(?: trong tam| chu yeu)? sau\s*:$"
)


def lists_duties(folded: str) -> bool:
    """ "…, Văn phòng Trung ương Đảng và các văn phòng tỉnh uỷ … cần tập trung một số nhiệm vụ
    trọng tâm sau:": a conclusion's lead to the duties it lists (its owner may follow a frame)."""
    return bool(_DUTIES_LISTED.search(folded))
