# ruff: noqa: E501  (tables of Vietnamese text read better one entry per line)
"""Handbook content of the demo: posts, notices and documents at every level of the tree.

Documents carry real-looking reference numbers (số/ký hiệu), kinds, issuers and dates, and a small
generated Word file (a few PDFs too); about one document for every 45 members (the `hanoi` scale
publishes over 10,000, for the search benchmark), at most 20,000.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone

from dangvien.core.text import fold
from dangvien.demo.plan import Plan
from dangvien.handbook.files import DOCX, PDF
from dangvien.handbook.models import Document, Post

MEMBERS_PER_DOCUMENT = 45
MAX_DOCUMENTS = 20_000
BATCH = 2_000
PDF_FILES = 12  # drawing a PDF costs far more than writing a small .docx: a few are enough

# (issuer, its short sign in reference numbers, kinds it issues) per level of the tree.
CENTRAL = [
    ("Ban Chấp hành Trung ương", "TW", ["NQ", "QĐ", "KL"]),
    ("Bộ Chính trị", "TW", ["NQ", "CT", "QĐ", "KL"]),
    ("Ban Bí thư", "TW", ["CT", "KL", "QĐ"]),
    ("Ban Tổ chức Trung ương", "BTCTW", ["HD", "CV"]),
    ("Văn phòng Trung ương Đảng", "VPTW", ["HD"]),
]
PROVINCE = [
    ("Thành ủy", "TU", ["NQ", "CT", "KH", "TB", "QĐ", "KL"]),
    ("Ban Tổ chức Thành ủy", "BTCTU", ["HD", "CV", "KH"]),
    ("Ban Tuyên giáo Thành ủy", "BTGTU", ["HD", "KH"]),
    ("Ủy ban Kiểm tra Thành ủy", "UBKTTU", ["TB", "HD"]),
]
LOCAL = [("Đảng ủy", "ĐU", ["NQ", "KH", "TB", "CV", "QĐ"])]
KINDS = {
    "NQ": Document.Kind.RESOLUTION,
    "CT": Document.Kind.DIRECTIVE,
    "KL": Document.Kind.CONCLUSION,
    "QĐ": Document.Kind.DECISION,
    "HD": Document.Kind.GUIDANCE,
    "KH": Document.Kind.PLAN,
    "TB": Document.Kind.NOTICE,
    "CV": Document.Kind.LETTER,
}
TOPICS = [
    ("Xây dựng Đảng", "tăng cường củng cố, xây dựng tổ chức cơ sở đảng và nâng cao chất lượng đội ngũ đảng viên"),
    ("Xây dựng Đảng", "nâng cao chất lượng sinh hoạt chi bộ"),
    ("Xây dựng Đảng", "công tác phát triển đảng viên trong thanh niên, công nhân và học sinh, sinh viên"),
    ("Xây dựng Đảng", "đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên hằng năm"),
    ("Công tác cán bộ", "công tác quy hoạch, luân chuyển và bố trí cán bộ"),
    ("Công tác cán bộ", "kiểm soát quyền lực trong công tác cán bộ"),
    ("Kiểm tra, giám sát", "chương trình kiểm tra, giám sát của cấp ủy"),
    ("Kiểm tra, giám sát", "thi hành kỷ luật đảng viên vi phạm"),
    ("Tuyên giáo", "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"),
    ("Tuyên giáo", "học tập, quán triệt và triển khai thực hiện nghị quyết"),
    ("Tuyên giáo", "bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác các quan điểm sai trái"),
    ("Dân vận", "tăng cường công tác dân vận trong tình hình mới"),
    ("Dân vận", "thực hiện quy chế dân chủ ở cơ sở"),
    ("Tổ chức bộ máy", "sắp xếp tổ chức bộ máy của hệ thống chính trị tinh gọn, hoạt động hiệu lực, hiệu quả"),
    ("Kinh tế - xã hội", "lãnh đạo thực hiện nhiệm vụ phát triển kinh tế - xã hội năm"),
    ("Kinh tế - xã hội", "chuyển đổi số trong các cơ quan đảng"),
    ("Quốc phòng, an ninh", "tăng cường quốc phòng, an ninh và bảo đảm trật tự an toàn xã hội"),
    ("Đảng phí", "thu, nộp, quản lý và sử dụng đảng phí"),
    ("Thi đua, khen thưởng", "trao tặng Huy hiệu Đảng đợt 3/2 và 19/5"),
]  # fmt: skip
OPENINGS = {
    "NQ": "Về", "CT": "Về", "KL": "Về tiếp tục", "QĐ": "Ban hành quy định về", "HD": "Hướng dẫn",
    "KH": "Kế hoạch thực hiện", "TB": "Thông báo kết luận về", "CV": "Về việc",
}  # fmt: skip
POSTS = [
    ("Chi bộ học tập chuyên đề năm", "<p>Các chi bộ tổ chức học tập chuyên đề, liên hệ với nhiệm vụ của đơn vị.</p>"),
    ("Gương đảng viên tiêu biểu", "<p>Giới thiệu những đảng viên gương mẫu trong công tác và cuộc sống.</p>"),
    ("Kết quả kết nạp đảng viên mới", "<p>Tổng hợp kết quả kết nạp đảng viên và những cách làm hay.</p>"),
    ("Trao tặng Huy hiệu Đảng", "<p>Lễ trao Huy hiệu Đảng cho các đồng chí đảng viên lão thành.</p>"),
    ("Hướng dẫn đánh giá, xếp loại cuối năm", "<p>Các chi bộ hoàn thành kiểm điểm, đánh giá trước ngày 15/12.</p>"),
    ("Tin hoạt động của cấp ủy", "<p>Cấp ủy họp thường kỳ, cho ý kiến về các nội dung quan trọng.</p>"),
]  # fmt: skip
NOTICES = [
    ("Lịch sinh hoạt chi bộ tháng này", "<p>Đề nghị các đồng chí dự sinh hoạt chi bộ đầy đủ, đúng giờ.</p>"),
    ("Thu đảng phí quý", "<p>Các đồng chí đóng đảng phí tại chi bộ trước ngày 10 của tháng đầu quý.</p>"),
    ("Cập nhật phiếu bổ sung hồ sơ đảng viên", "<p>Mỗi đồng chí kê khai phiếu bổ sung hồ sơ năm nay và nộp cho chi bộ.</p>"),
]  # fmt: skip


@dataclass
class HandbookContent:
    """The demo's posts and documents, made but not saved (their files are written)."""

    posts: list[Post]
    documents: list[Document]


def demo_handbook_content(plan: Plan, *, seed: int, as_of: dt.date) -> HandbookContent:
    """Make the demo's posts, notices and documents, writing the documents' files. No database
    access: the demo load makes them in its generating process (demo/producer.py)."""
    rng = random.Random(f"dangvien-demo-handbook:{seed}")
    roots = [o for o in plan.orgs if o.parent is None]
    uppers = [o for o in plan.orgs if o.level == "upper"]
    grassroots = [o for o in plan.orgs if o.level in ("grassroots_committee", "grassroots_cell")]
    posts = _posts(rng, roots, uppers, grassroots, as_of)
    members = sum(o.members for o in plan.orgs)
    total = min(MAX_DOCUMENTS, max(60, members // MEMBERS_PER_DOCUMENT))
    return HandbookContent(posts, _documents(rng, roots, uppers, grassroots, as_of, total))


def demo_handbook_write(content: HandbookContent) -> None:
    Post.objects.bulk_create(content.posts, batch_size=BATCH)
    Document.objects.bulk_create(content.documents, batch_size=BATCH)


def _moment(rng: random.Random, as_of: dt.date, days: int) -> dt.datetime:
    day = as_of - dt.timedelta(days=rng.randint(0, days))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(7, 17), 0)))


def _posts(
    rng: random.Random, roots: list, uppers: list, grassroots: list, as_of: dt.date
) -> list[Post]:
    posts: list[Post] = []

    def add(org_id: int, count: int, notices: int) -> None:
        for title, body in rng.sample(POSTS, min(count, len(POSTS))):
            posts.append(Post(org_id=org_id, kind=Post.Kind.POST, title=title, body=body,
                              publish_at=_moment(rng, as_of, 90)))  # fmt: skip
        for title, body in rng.sample(NOTICES, min(notices, len(NOTICES))):
            posts.append(Post(org_id=org_id, kind=Post.Kind.NOTICE, title=title, body=body,
                              publish_at=_moment(rng, as_of, 30)))  # fmt: skip

    for root in roots:
        add(root.id, 6, 2)
        posts[-1].pinned = True
    for upper in uppers:
        add(upper.id, 2, 1)
    for org in grassroots:
        add(org.id, 1, 1)
    return posts


def _documents(
    rng: random.Random, roots: list, uppers: list, grassroots: list, as_of: dt.date, total: int
) -> list[Document]:
    folder = Path(settings.MEDIA_ROOT) / "documents" / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    # A tenth from the centre and the province (published for the whole province), a tenth from
    # the upper committees, the rest from grassroots committees.
    places: list[tuple[int, list]] = []
    for index in range(total):
        share = index / total
        if share < 0.1 or not uppers:
            places.append((rng.choice(roots).id, CENTRAL + PROVINCE))
        elif share < 0.2 or not grassroots:
            places.append((rng.choice(uppers).id, LOCAL))
        else:
            places.append((rng.choice(grassroots).id, LOCAL))
    counters: dict[tuple[str, str], int] = {}
    documents: list[Document] = []
    for index, (org_id, issuers) in enumerate(places):
        issuer, sign, kinds = rng.choice(issuers)
        short = rng.choice(kinds)
        issued = as_of - dt.timedelta(days=rng.randint(0, 365 * 6))
        counters[(sign, short)] = counters.get((sign, short), 0) + rng.randint(1, 3)
        number = f"{counters[(sign, short)]:02d}-{short}/{sign}"
        field, topic = rng.choice(TOPICS)
        summary = f"{OPENINGS[short]} {topic}"
        text, folded = _text(rng, issuer, number, summary, issued)
        as_pdf = index < PDF_FILES
        name = f"{index + 1}.{'pdf' if as_pdf else 'docx'}"
        data = _pdf(text) if as_pdf else _docx(text)
        (folder / name).write_bytes(data)
        documents.append(
            Document(
                org_id=org_id,
                number=number,
                kind=KINDS[short],
                issuer=issuer,
                issued_on=issued,
                summary=summary[0].upper() + summary[1:],
                field=field,
                file=f"documents/demo/{name}",
                file_name=f"{number.replace('/', '-')}.{'pdf' if as_pdf else 'docx'}",
                content_type=PDF if as_pdf else DOCX,
                size=len(data),
                text=text,
                search_head=fold(f"{number} {issuer} {summary} {field}")[:1000],
                search_text=folded,
                published_at=timezone.make_aware(dt.datetime.combine(issued, dt.time(9, 0))),
            )
        )
    return documents


def _text(
    rng: random.Random, issuer: str, number: str, summary: str, issued: dt.date
) -> tuple[str, str]:
    """The document's text and its folded form, folded sentence by sentence: the sentences
    repeat across ten thousand documents, so each is folded once (fold is the costly part)."""
    sentences = [
        "ĐẢNG CỘNG SẢN VIỆT NAM.",
        f"{issuer.upper()}.",
        f"Số {number}.",
        f"Ngày {issued:%d/%m/%Y}.",
        f"{summary}.",
        *(
            f"{rng.choice(['Các cấp ủy', 'Các chi bộ', 'Đảng viên', 'Cấp ủy cơ sở'])} "
            f"{rng.choice(['quán triệt', 'tổ chức thực hiện', 'kiểm tra, đôn đốc', 'báo cáo kết quả'])} "
            f"{topic} {rng.choice(['nghiêm túc', 'kịp thời', 'đúng tiến độ', 'có hiệu quả'])}."
            for _field, topic in rng.sample(TOPICS, 4)
        ),
    ]
    return " ".join(sentences), " ".join(_fold_once(sentence) for sentence in sentences)


_fold_once = functools.lru_cache(maxsize=20_000)(fold)


def _docx(text: str) -> bytes:
    paragraphs = "".join(
        f"<w:p><w:r><w:t>{escape(part.strip())}.</w:t></w:r></w:p>"
        for part in text.split(".")
        if part.strip()
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{paragraphs}</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:  # stored: a few KB each, quicker to write
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document)
    return out.getvalue()


def _pdf(text: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from dangvien.office.pdf import FontMissing, font

    try:
        font_name = font("regular")
    except FontMissing:
        return _docx(text)  # no Vietnamese font here: the demo still gets a readable file
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setFont(font_name, 11)
    y = 800
    for line in [text[i : i + 90] for i in range(0, len(text), 90)]:
        page.drawString(60, y, line)
        y -= 16
    page.save()
    return out.getvalue()


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)
