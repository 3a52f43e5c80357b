"""A portal's or a newspaper's story of a leader's conclusion or direction: who speaks, to
whom, and the steps of what is said.

On the blind batches most documents are such a rendering ("Phát biểu kết luận, đồng chí Bí thư
Tỉnh ủy đề nghị các cấp ủy, chính quyền … tập trung …; yêu cầu Sở X khẩn trương …"). The
speaker owns nothing; the addressee owns each step of the direction; the next sentences of
that speech go on with it. Whether the text is a rendering is the document kind's call
(``kind.is_rendering``); these rules only read what the speaker says.
"""

from __future__ import annotations

import re

from data.importers.prose.owner import _PERSON
from data.text import fold

# "Đồng chí Bí thư …", "Chủ tịch UBND tỉnh …", "Thường trực HĐND thành phố …": a person or a
# standing body speaks
_SPEAKER_WORDS = re.compile(
    r"\b(?:dong chi|d/c|bi thu|(?:pho )?chu tich|truong ban|giam doc|bo truong"
    r"|thu tuong|to truong|truong doan|thuong truc)\b"
)
# "UBND tỉnh vừa ban hành Công văn số … yêu cầu …": a text told, not a speech
_TEXT_TOLD = re.compile(r"\b(?:ban hanh|cong van|van ban|quyet dinh|thong bao) so\b|\bban hanh\b")


def speaks(text: str) -> bool:
    """Whether a paragraph gives a person's words ("đồng chí …", "ông Lê Văn Tám …", "Thường
    trực HĐND huyện …"), never the story of a text issued ("… ban hành Công văn số …")."""
    folded = fold(text)
    said = bool(_SPEAKER_WORDS.search(folded) or _PERSON.search(text))
    return said and not _TEXT_TOLD.search(folded)


def led_by_speaker(text: str) -> bool:
    """ "Kết luận hội nghị, đồng chí Bí thư … nhấn mạnh một số công việc … như sau:": a lead
    whose items are the speaker's directions."""
    return bool(_SPEAKER_WORDS.search(fold(text)) or _PERSON.search(text))


# "… đề nghị / yêu cầu / giao / lưu ý X …", or the body the speaker turns to ("Đối với các ban
# tham mưu của Tỉnh ủy, a; b; c")
_SPOKEN_TO = re.compile(r"\b(?:yeu cau|de nghi|giao|luu y)\b|^doi voi\b")


def spoken_to(cue: str) -> bool:
    """Whether the folded words before an owner address it as the speaker's ``cue`` does."""
    return bool(_SPOKEN_TO.search(cue))


# "…; đề nghị UBND thành phố …", "…; đồng thời yêu cầu các chi bộ …", "… đánh giá cao …, đồng
# thời chỉ ra những hạn chế … và yêu cầu cơ quan … tiếp thu …": the speaker turns from
# appraisal to direction
_TURN = re.compile(
    r";\s+(?:dong thoi,? )?(?=(?:de nghi|yeu cau|luu y) )"
    r"|(?:,\s+dong thoi,?|\s+va)\s+(?=(?:de nghi|yeu cau) )"
)


def turn(aligned: str) -> re.Match[str] | None:
    """Where the speaker turns to a direction, in the aligned folded sentence."""
    return _TURN.search(aligned)


# "…; chịu trách nhiệm về số liệu báo cáo …": a charge that answers for the work, no work
_CHARGE = re.compile(r"^(?:chiu|co) trach nhiem (?:ve|truoc)\b")


def charge(step: str) -> bool:
    return bool(_CHARGE.match(fold(step)))


def semicolon_parts(text: str) -> list[str]:
    """The parts of a text between the ";" outside brackets."""
    out, depth, at = [], 0, 0
    for index, ch in enumerate(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == ";" and depth == 0:
            out.append(text[at:index])
            at = index + 1
    out.append(text[at:])
    return [part.strip() for part in out if part.strip(" .")]
