"""The rules that say a clause is no task, whoever wrote it: the closing article, the subject
line, the issuer's view, a note, an agenda, a meeting already held, support with no work of its
own, figures, prohibitions, aims and the signer's title.

Each rule is a ``Rule``: a pattern asked of the folded clause (``data.text.fold``: no accents,
lower case), at its start or anywhere; ``names_only`` and ``headline`` read the plain text,
where the punctuation tells. The driver (``reader``) asks them in its own order, with what it
knows of the owner and the dates.
"""

from __future__ import annotations

import re

from data.importers.prose.owner import _VERB_AT, _starts_org
from data.importers.prose.segment import _TERMINAL


class Rule:
    """A rule on the folded clause: its pattern holds at the start (or ``anywhere``)."""

    def __init__(self, pattern: str, *, anywhere: bool = False) -> None:
        self.pattern = re.compile(pattern)
        self.anywhere = anywhere

    def __call__(self, folded: str) -> bool:
        found = self.pattern.search(folded) if self.anywhere else self.pattern.match(folded)
        return found is not None


# "… có trách nhiệm thi hành Quyết định này", "… giám sát việc thực hiện Nghị quyết": the
# closing article every document carries, not a task of its own.
closing_article = Rule(
    # "… và các thành viên Tổ công tác căn cứ Quyết định thi hành./."
    # "… căn cứ Kế hoạch này triển khai thực hiện./."
    r"\bcan cu (?:quyet dinh|nghi quyet|ke hoach|chi thi|quy che|quy dinh)(?: nay)?,? (?:de )?"
    r"(?:(?:to chuc|trien khai),? )*(?:thi hanh|thuc hien)[ ./]*$"
    r"|(?:co|chiu) trach nhiem (?:(?:to chuc|trien khai) )*(?:thi hanh|thuc hien"
    r"|giam sat (?:viec )?(?:thuc hien|trien khai)"
    r"|huong dan,? kiem tra"
    # "Sở Tư pháp có trách nhiệm hướng dẫn, kiểm tra việc thực hiện Quy chế này" (not "… việc
    # thực hiện." alone: which work is the sentence's own)
    r"|huong dan,? (?:theo doi,? )?kiem tra viec (?:thuc hien|trien khai)(?= (?:quy che|quy dinh"
    r"|nghi quyet|quyet dinh|ke hoach|chi thi|de an)))"
    # "… có trách nhiệm tổ chức thực hiện, giám sát việc thực hiện Nghị quyết này"
    r"(?:(?:,| va) giam sat (?:viec )?(?:thuc hien|trien khai))?(?: nghiem tuc)?"
    r"(?: (?:nghi quyet|quyet dinh|chi thi|ke hoach|thong bao|ket luan|van ban|cong van"
    r"|quy che|quy dinh|de an)(?: nay)?)?"
    r"(?: (?:ke )?tu ngay (?:ky|ban hanh))?[ ./]*$",  # "… thi hành Quyết định này kể từ ngày ký"
    anywhere=True,
)


# "(Theo Công văn số 6202/UBND-KT, ngày 23/11/2023)", "UBND tỉnh chỉ đạo về việc …": where the
# text comes from or what it is about, never a task.
subject_line = Rule(r"^(?:chi dao |co y kien |co van ban )?ve viec\b")


# A source in brackets, the subject line or a closing formula
about_line = Rule(
    # ("(BKTO) - Chủ tịch UBND (…) tỉnh … yêu cầu … (DA).": a news tag opens it, no bracket)
    rf"^\((?:[^()]|\([^()]*\))*\)[ .]*$|{subject_line.pattern.pattern}"
    # "Văn phòng Tỉnh ủy thông báo để các cơ quan liên quan biết, thực hiện.", "Văn phòng UBND
    # tỉnh thông báo để các cơ quan, đơn vị biết, thực hiện./.": the closing line
    r"|^.{0,80}\bthong bao (?:de|den|cho) .{0,80}\bbiet\b"
    # "UBND xã Duyên Hà thông báo để các gia đình, cơ quan, … nghiêm túc thực hiện./."
    r"|^.{0,80}\bthong bao (?:de|den|cho) .{0,120}\b(?:nghiem tuc )?thuc hien[ ./]*$"
    # "Trên đây là Kế hoạch …": the plan's closing summary
    r"|^tren day la\b"
    # "Yêu cầu trên nhằm triển khai 2 kết luận …", "Văn bản này nhằm …": what the text is for
    r"|^(?:yeu cau|van ban|cong van|chi dao|chi thi|ke hoach|thong bao) (?:tren|nay) nham\b"
    # "Căn cứ Quyết định số 2907/QĐ-UBND … hằng năm …;": the preamble's grounds, a line of them
    r"|^can cu (?:luat|bo luat|nghi quyet|quyet dinh|cong van|ke hoach|chi thi|thong bao|huong dan"
    r"|van ban|thong tu|nghi dinh|bao cao|to trinh|ket luan|quy dinh|quy che|chuong trinh)"
    r" so\b[^;]*;$"
    # "Chỉ thị này được phổ biến đến chi bộ …": the closing line of a Chỉ thị or Thông tri
    r"|^(?:chi thi|thong tri|nghi quyet|ket luan|thong bao) nay (?:duoc )?(?:pho bien|quan triet)\b"
    # "Hướng dẫn này thay thế Hướng dẫn số 31-HD/BTGTW … của Ban Tuyên giáo Trung ương và có
    # hiệu lực kể từ ngày ký": the text's own standing (what it replaces, when it takes effect)
    r"|^(?:huong dan|quy dinh|quy che|quyet dinh|ke hoach|chi thi|thong tri|nghi quyet|ket luan"
    r"|thong bao|chuong trinh|van ban|cong van|de an) nay (?:thay the|co hieu luc)\b"
    # "Trong quá trình thực hiện, nếu có vướng mắc, đề nghị phản ánh về …": the closing formula
    # (or "… thực hiện có khó khăn, vướng mắc, đề nghị các cơ quan … phản hồi …")
    r"|^trong qua trinh (?:to chuc )?(?:thuc hien|trien khai)\b.{0,40}"
    r"\b(?:neu )?co (?:kho khan|vuong mac)"
)


# "Trên đây là Kế hoạch …. Đề nghị các cơ quan, đơn vị …": the plan's closing, under no heading
closing_summary = Rule(r"^tren day la\b")


# "Đề nghị Ủy ban MTTQ tỉnh phối hợp giám sát.": support with no object of its own
only_joins = Rule(
    r"^(?:quan tam,? )?(?:tham gia|phoi hop)(?:,? (?:va )?(?:giam sat|theo doi))?[ ./]*$"
    # "… đề nghị Sở X quan tâm phối hợp./.", "… quan tâm, xem xét./.": the courtesy that closes
    r"|^quan tam(?:,? (?:va )?(?:xem xet|giai quyet|phoi hop|chi dao|tao dieu kien|thuc hien))*"
    r"[ ./]*$"
    # "… tiếp tục quan tâm lãnh đạo, chỉ đạo, tạo điều kiện để các đơn vị … thực hiện tốt …":
    # support asked for the issuer's own work
    r"|^(?:tiep tuc )?quan tam(?:,? (?:va )?(?:lanh dao|chi dao))*,? (?:va )?tao dieu kien"
    r" (?:de|cho)\b"
)


# "… đoàn kết, thống nhất vượt qua khó khăn hoàn thành tốt nhiệm vụ đề ra", "nỗ lực phấn đấu
# hoàn thành xuất sắc nhiệm vụ được giao": the exhortation that closes a speaker's direction
aim = Rule(
    r"^(?:doan ket|thong nhat|no luc|phan dau|quyet tam|vuot qua)\b.{0,120}?\bhoan thanh"
    r"(?: tot| xuat sac| thang loi)?(?: cac| moi)? nhiem vu"
    r"(?: duoc giao| de ra| chinh tri)?[ ./…]*$"
    # "… phải nêu cao tinh thần trách nhiệm, tích cực khẩn trương triển khai …": the spirit the
    # work is to be done in, a step of no work of its own
    r"|^(?:(?:phai|can) )?neu cao (?:tinh than )?trach nhiem(?: (?:cua )?nguoi dung dau)?[ ,.;]*$"
)


# "tập trung cao độ triển khai các công việc với tinh thần tích cực, khẩn trương": work with no
# object of its own, an exhortation
any_work = Rule(
    r"^(?:(?:tap trung|khan truong|quyet liet)(?: cao do)?,? )*(?:trien khai|thuc hien"
    r"|to chuc thuc hien)(?: (?:cac|nhung|moi))? (?:cong viec|nhiem vu)(?: (?:duoc giao|de ra))?"
    r"(?: (?:voi tinh than|mot cach)\b[^;]*)?[ ./]*$"
)


# A duty the end of a stored page cuts before this many words names no work a clerk can track
CUT_WORDS = 8


def cut_off(plain: str) -> bool:
    """Whether a text's last paragraph stops without a sentence's end ("… tập trung chỉ đạo
    các đi"): a page cut where it was stored."""
    bare = plain.rstrip(' *"”…')
    return bool(bare) and bare[-1] not in _TERMINAL and bare[-1] != "/"


# "… có trách nhiệm phối hợp chặt chẽ với …", "tạo điều kiện …": everyone's support, no task
only_support = Rule(r"^(?:co trach nhiem |chiu trach nhiem )?(?:phoi hop|tao dieu kien)\b")


# "theo dõi, đôn đốc các cơ quan chuẩn bị nội dung, gửi hồ sơ …" with no date and nothing to
# deliver upward (no report): the office's watch over the document itself, no task of its own
only_oversees = Rule(
    r"^(?:theo doi,? (?:va )?don doc|don doc,? (?:va )?theo doi)\b(?!.*\b(?:bao cao|tong hop"
    r"|trinh|tham muu|so ket|tong ket|kiem tra|chi dao)\b)"
    # "Văn phòng Tỉnh ủy … giúp Ban Thường vụ Tỉnh ủy đôn đốc, kiểm tra việc thực hiện Công văn
    # này.": the same watch over the document itself
    r"|^(?:theo doi,? )?don doc,? (?:va )?kiem tra viec (?:thuc hien|trien khai) (?:cong van"
    r"|chi thi|ket luan|thong bao|thong tri|van ban) nay[ ./]*$"
)


# "… ghi rõ danh sách kèm theo báo cáo", "… gửi cùng báo cáo": an addition to a report
adds_to_report = Rule(r"\b(?:kem theo|gui kem|kem|cung voi|cung) bao cao[ .;]*$", anywhere=True)


# "Tại kỳ họp thường lệ giữa năm 2026: xem xét báo cáo công tác …" with no owner: what the
# council itself does at its session, no one's task
agenda = Rule(
    r"^(?:[^:;]{0,80}:\s*)?(?:xem xet|thao luan|cho y kien|chat van|nghe (?:bao cao|to trinh))\b"
)


# A sentence with no owner that only states the issuer's view: no task
issuer_view = Rule(
    r"^(?:\d+\.\s*)?(?:co ban |can ban )?(?:thong nhat|nhat tri|dong y|danh gia cao|ghi nhan"
    r"|bieu duong"
    r"|hoan nghenh|chuc mung"
    # "Đó là báo cáo của Đảng ủy xã …", "Đó là chỉ đạo của …": the story looks back, no duty
    r"|do la)\b"
)


# "Lưu ý: Việc tổ chức hội nghị … cũng được tổ chức …", "Theo quy định, Hội nghị … được thực
# hiện …": a note or the law's own schedule, naming no one: no task
note = Rule(r"^(?:luu y|chu y|theo quy dinh(?: (?:cua|tai) [^,:]{3,80})?)\s*[:,]")


# "Chiều 20/11/2026, Chủ tịch UBND tỉnh chủ trì cuộc họp … về … từ ngày 22 đến 26/11": a
# meeting held on a day already past, whatever dates it speaks of, is the news, not a duty
meeting_held = Rule(
    r"^(?:(?:chu tri|to chuc|du|tham du) )?(?:cuoc hop|hoi nghi|buoi lam viec|phien hop)\b"
)


# "Đồng chí … chủ trì buổi làm việc.", "Thường trực Đảng ủy xã chủ trì Hội nghị giao ban định kỳ
# tháng 1-2026": in a story, who chaired or attended the meeting (a photo's caption) is the
# news, whatever date it names
presides = Rule(r"^(?:(?:chu tri|du|tham du) )?(?:cuoc hop|hoi nghi|buoi lam viec|phien hop)\b")


# "Tổng số 1.177 hộ với 5.941 khẩu", "1.033 hộ, kinh phí 20.229,8 triệu đồng": counts, no work
figures = Rule(
    r"^(?:tong so|tong cong|gom|\d[\d.,]*) (?:\d[\d.,]* )?(?:ho|nguoi|khau|thon"
    r"|xa|don vi|du an|cong trinh|dang vien|trieu|ty)\b"
)


# "…, thu ngân sách đạt 94% KH", "Giải ngân vốn … đạt trên 58% kế hoạch": a result reported
# (a past month's figure), no work to track
achieved = Rule(
    # never the target of a duty ("phấn đấu đến ngày 30/6 giải ngân đạt trên 50% kế hoạch")
    r"^(?!.*\b(?:phan dau|muc tieu|chi tieu|bao dam|dam bao)\b).*"
    r"\bdat (?:tren |gan |khoang |hon )?\d+(?:[.,]\d+)? ?% ?(?:kh\b|ke hoach\b|du toan\b)"
)


# "Tại hội nghị, các đại biểu được nghe …": a paragraph that tells what the meeting heard
at_meeting = Rule(r"^tai (?:hoi nghi|cuoc hop|phien hop|buoi lam viec|ky hop)\b")
# "… báo cáo dự thảo chính trị lần thứ 3 …" in such a paragraph: a report given there, told
reported_there = Rule(r"^bao cao (?:du thao|ket qua|tinh hinh|tien do)\b")


# "Đồng thời," cut off before "giao Công an tỉnh …": a connective with no work of its own
only_connective = Rule(r"^(?:dong thoi|ngoai ra|ben canh do|mat khac)[ ,.;]*$")


# "Theo đó, thực hiện nhiệm vụ …, Văn phòng … tổ chức 1 khoá tập huấn về việc …": a rendering
# announces the one event the letter is about; the duties come after it
announced_event = Rule(r"^theo do,.*\bto chuc (?:01|1|mot) (?:khoa|lop|hoi nghi|dot|buoi|cuoc)\b")


# "Đảm bảo tốc độ, độ trễ và độ ổn định của mạng 5G đạt yêu cầu.": a standard the work must
# meet; "Tuân thủ đầy đủ các quy định pháp luật về …": the law to obey; "Khuyến khích các doanh
# nghiệp đầu tư …": an encouragement. No work of their own.
standard = Rule(
    r"^(?:dam bao|bao dam) [^;.]{3,100}?\b(?:dat yeu cau|dap ung (?:nhu cau|yeu cau))\b"
    r"|^tuan thu (?:day du |nghiem )?(?:cac )?quy dinh\b|^khuyen khich\b"
    # "Thực hiện đầy đủ quyền, nghĩa vụ và trách nhiệm chủ rừng …": the body's legal charge;
    # "Chịu trách nhiệm trước pháp luật nếu để xảy ra …": its liability
    r"|^thuc hien (?:day du |nghiem )?(?:cac )?quyen,? (?:va )?nghia vu\b"
    r"|^chiu trach nhiem truoc phap luat\b"
    # "Chủ tịch UBND các phường, xã chịu trách nhiệm trước Chủ tịch UBND thành phố nếu để xảy
    # ra vi phạm …": the liability, no work
    r"|^(?:chiu trach nhiem )?truoc [^;]{3,100}?\bneu (?:de )?xay ra\b"
)


# "Xác định công tác lập quy hoạch … là một trong những nhiệm vụ trọng tâm …" (nothing more
# after it): a stance the body takes, no work to track
stance = Rule(
    r"^xac dinh [^;]{3,150}?\bla (?:mot trong (?:nhung |cac )?)?nhiem(?: vu)? (?:trong tam"
    r"|hang dau|quan trong|then chot|chinh tri)\b[^;]*$"
)


# "Kỳ họp thứ nhất, HĐND huyện khóa XX … dự kiến tổ chức 01 ngày, trong khoảng từ ngày …": an
# event's planned time, told with no one to do it
planned_event = Rule(
    r"^(?:theo do,? )?(?:ky hop|hoi nghi|dai hoi|phien hop|le ky niem)\b[^;.]{0,100}? du kien"
    r" (?:se )?(?:duoc )?(?:to chuc|dien ra|khai mac|hop)\b"  # "Theo đó kỳ họp dự kiến được …"
)


# "Đảng bộ xã Quế Thọ được Huyện ủy chọn là đơn vị đại hội điểm": a body chosen, a state told,
# no work of its own yet
designated = Rule(r"^[^;.]{3,80}? duoc [^;.]{0,60}?\b(?:chon|lua chon) (?:la|lam)\b")


# "Cán bộ, đảng viên không sử dụng ngân sách …; không tổ chức …": a standing rule, no task
prohibition = Rule(r"^[^;:.]{0,40}?\b(?:khong|nghiem cam|tuyet doi khong) ")


# "Mục đích, yêu cầu", "Mục tiêu chung": sections that state aims, not tasks.
_NO_TASKS = re.compile(
    r"^(?:muc dich|yeu cau|muc tieu|quan diem|nguyen tac|boi canh|tinh hinh"
    r"|doi tuong ap dung|pham vi dieu chinh"
    # "1. Về đánh giá tình hình hoạt động từ tháng 6/2022 đến nay": what was done, no task
    r"|(?:ve )?danh gia (?:tinh hinh|ket qua|chung)|ket qua dat duoc)\b"
)


_TASK_WORDS = re.compile(r"\b(?:nhiem vu|giai phap|to chuc thuc hien)\b")


def aims_heading(folded: str) -> bool:
    """ "Mục đích, yêu cầu", "Quan điểm": a section of aims (not "Nhiệm vụ và giải pháp")."""
    return bool(_NO_TASKS.match(folded)) and not _TASK_WORDS.search(folded)


# A signer's title line, in any case: "Trưởng Ban Tổ chức Tỉnh ủy, kiêm Trưởng Ban …"
signer_line = Rule(
    r"^(?:kt\.? |k/t |tl\.? |t/l |tm\.? |t/m )?(?:pho )?(?:truong ban|chanh van phong|bi thu"
    r"|chu tich|giam doc|chu nhiem|uy vien ban thuong vu)\b[^.;:]*$"
)


def names_only(plain: str) -> bool:
    """ "Các cơ quan, địa phương,": bodies named with no verb after them, no work."""
    return plain.rstrip(" .;").endswith(",") and _starts_org(plain) and not _VERB_AT.search(plain)


def headline(plain: str) -> bool:
    """A first line with no sentence end, as a news or Party site heads its rendering of a
    document ("Ban Bí thư ra Chỉ thị cấm biếu, tặng quà Tết …"): the title, never a task."""
    bare = plain.rstrip(" *")
    return bool(bare) and bare[-1] not in _TERMINAL and not bare.endswith(",")
