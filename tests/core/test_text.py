"""Search folding and name ordering follow DOMAIN.md §10.

The order is checked against a reference written here from the rule itself, by a table of the
Vietnamese letters with their tones rather than by Unicode decomposition.
"""

from __future__ import annotations

import random
import re
import unicodedata

import pytest
from django.db import connection
from django.db.models.functions import Collate
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import make_member, make_org

from dangvien.core.text import fold, name_sort_key, normalize, split_name
from dangvien.members.models import Member

# Each row: one letter with no tone, huyền, hỏi, ngã, sắc, nặng (the collation order of tones).
TONE_ROWS = [
    "aàảãáạ",
    "ăằẳẵắặ",
    "âầẩẫấậ",
    "eèẻẽéẹ",
    "êềểễếệ",
    "iìỉĩíị",
    "oòỏõóọ",
    "ôồổỗốộ",
    "ơờởỡớợ",
    "uùủũúụ",
    "ưừửữứự",
    "yỳỷỹýỵ",
]
WITH_TONE = {ch: (row[0], tone) for row in TONE_ROWS for tone, ch in enumerate(row)}
ALPHABET = [*"aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"]
RANK = {letter: i for i, letter in enumerate(ALPHABET)}
VOWELS = {row[0] for row in TONE_ROWS}


def reference_word(word: str) -> tuple[tuple[int, ...], int]:
    letters, tone = [], 0
    for ch in word:
        base, mark = WITH_TONE.get(ch, (ch, 0))
        letters.append(RANK[base])
        tone = tone or mark
    return tuple(letters), tone


def reference_part(words: list[str]) -> tuple[tuple[tuple[int, ...], ...], tuple[int, ...]]:
    """Letters of all the words first, then their tones."""
    encoded = [reference_word(word) for word in words]
    return tuple(letters for letters, _ in encoded), tuple(tone for _, tone in encoded)


def reference_key(full_name: str) -> tuple:
    words = unicodedata.normalize("NFC", full_name).lower().split()
    family, middle, given = (
        (words[0], words[1:-1], words[-1]) if len(words) > 1 else ("", [], words[0])
    )
    return (
        reference_part([given]),
        reference_part(middle),
        reference_part([family] if family else []),
    )


def sign(a: object, b: object) -> int:
    return (a > b) - (a < b)  # type: ignore[operator]


@st.composite
def syllables(draw: st.DrawFn) -> str:
    letters = draw(st.lists(st.sampled_from(ALPHABET), min_size=1, max_size=5))
    tone = draw(st.integers(0, 5))
    vowel_at = next((i for i, letter in enumerate(letters) if letter in VOWELS), None)
    if vowel_at is not None:
        row = next(row for row in TONE_ROWS if row[0] == letters[vowel_at])
        letters[vowel_at] = row[tone]
    return "".join(letters)


@st.composite
def written_names(draw: st.DrawFn) -> str:
    """A name as people type it: any case, NFC or NFD, stray spaces."""
    words = draw(st.lists(syllables(), min_size=1, max_size=4))
    words = [draw(st.sampled_from([w, w.upper(), w.capitalize()])) for w in words]
    gaps = [draw(st.sampled_from([" ", "  ", "\t"])) for _ in words]
    name = draw(st.sampled_from(["", " "])) + "".join(
        w + g for w, g in zip(words, gaps, strict=True)
    )
    return unicodedata.normalize(draw(st.sampled_from(["NFC", "NFD"])), name)


# Any text, with the characters that trip folding up drawn more often than chance would.
any_text = st.text(st.one_of(st.characters(), st.sampled_from(" \u0301\u0306\u034f\u0489İĐđÐ")))

# --- fold ------------------------------------------------------------------------------------

FOLD_CASES = [
    ("Đặng Thu Hà", "dang thu ha"),
    ("ĐẶNG", "dang"),
    ("Nguyễn", "nguyen"),
    (unicodedata.normalize("NFD", "Nguyễn"), "nguyen"),
    ("  Trần   Thị\tBình ", "tran thi binh"),
    ("Phạm Thị Dung", "pham thi dung"),
    ("Ưng Hoàng Phúc", "ung hoang phuc"),
    ("ÂU CƠ", "au co"),
    ("Ðặng", "dang"),  # Icelandic eth from old encodings, meant as Đ
    ("İnan", "inan"),  # casefold adds a combining dot: it goes too
    ("a \u0301 b", "a b"),  # a stray tone between spaces leaves one space
    ("Lê\u034f Lợi", "le loi"),  # a mark of combining class 0 is still a mark
    ("", ""),
]


@pytest.mark.parametrize(("written", "folded"), FOLD_CASES)
def test_fold_reads_as_plain_lower_case_letters(written, folded):
    assert fold(written) == folded


@given(any_text)
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(any_text)
def test_fold_leaves_no_mark_and_no_d_with_stroke(text):
    folded = fold(text)
    assert not any(unicodedata.category(ch).startswith("M") for ch in folded)
    assert "đ" not in folded
    assert "Đ" not in folded


def whole_text_fold(text: str) -> str:
    """fold() as the rule states it, on the whole text at once (fold() works word by word)."""
    text = unicodedata.normalize("NFC", text).casefold().replace("đ", "d").replace("ð", "d")
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.category(ch).startswith("M"))
    return " ".join(unicodedata.normalize("NFC", bare).split())


@given(any_text)
@settings(max_examples=500)
def test_folding_word_by_word_equals_folding_the_whole_text(text):
    assert fold(text) == whole_text_fold(text)


@given(any_text)
def test_fold_of_nfd_input_equals_fold_of_nfc_input(text):
    assert fold(unicodedata.normalize("NFD", text)) == fold(unicodedata.normalize("NFC", text))


@given(written_names())
def test_fold_ignores_case(name):
    assert fold(name.upper()) == fold(name.lower()) == fold(name)


@given(written_names())
def test_normalize_gives_nfc_with_single_spaces(name):
    normal = normalize(name)
    assert unicodedata.is_normalized("NFC", normal)
    assert normal == " ".join(normal.split(" ")) == normal.strip()
    assert "  " not in normal


# --- name order ------------------------------------------------------------------------------


def ordered(names: list[str]) -> list[str]:
    return sorted(names, key=name_sort_key)


def test_split_name_reads_family_middle_given():
    assert split_name(" Tôn  Nữ Thị  Ninh ") == ("Tôn", "Nữ Thị", "Ninh")
    assert split_name("Lê Lợi") == ("Lê", "", "Lợi")
    assert split_name("Hùng") == ("", "", "Hùng")


ORDER_CASES = [
    # given name first, then middle, then family
    ["Trần Văn An", "Nguyễn Văn Bình"],
    ["Lê Thị Hà", "Lê Văn Hà"],
    ["Lê Văn An", "Nguyễn Văn An"],
    ["Phạm Ngọc An", "Nguyễn Văn An"],
    # letters: a < ă < â, d < đ, e < ê, o < ô < ơ, u < ư
    ["Lê Văn Tam", "Lê Văn Tăng", "Lê Văn Tâm"],
    ["Dương Văn An", "Đặng Văn An"],
    ["Lê Thị Dung", "Lê Thị Đào"],
    ["Lê Văn Khen", "Lê Văn Khê"],
    ["Lê Thị Tho", "Lê Thị Thô", "Lê Thị Thơ"],
    ["Lê Thị U", "Lê Thị Ư"],
    ["Lê Văn Vũ", "Lê Văn Vương"],
    # tones: none < huyền < hỏi < ngã < sắc < nặng
    ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"],
    # letters weigh before tones, a prefix first
    ["Lê Văn Án", "Lê Văn Ang"],
    ["Lê Văn An", "Lê Văn Anh"],
    ["Hùng", "Nguyễn Hùng", "Nguyễn Văn Hùng"],
    ["Nguyễn Văn An", "Nguyễn Văn Anh Tú Ân"],
]


@pytest.mark.parametrize("expected", ORDER_CASES, ids=lambda names: " < ".join(names))
def test_names_sort_in_vietnamese_order(expected):
    assert ordered(list(reversed(expected))) == expected
    assert ordered(random.Random(1).sample(expected, len(expected))) == expected


@pytest.mark.parametrize(
    "variant",
    [
        "  Nguyễn   Văn  An ",
        "NGUYỄN VĂN AN",
        "nguyễn văn an",
        unicodedata.normalize("NFD", "Nguyễn Văn An"),
        "Nguyễn\u00a0Văn\tAn",
    ],
)
def test_spacing_case_and_unicode_form_do_not_change_the_key(variant):
    assert name_sort_key(variant) == name_sort_key("Nguyễn Văn An")


def test_names_that_differ_only_in_tone_get_different_keys():
    assert len({name_sort_key(name) for name in ORDER_CASES[11]}) == 6


@given(written_names())
def test_key_holds_digits_only(name):
    assert re.fullmatch("[0-9]+", name_sort_key(name))


@given(written_names(), written_names())
def test_key_order_matches_the_reference_rule(a, b):
    assert sign(name_sort_key(a), name_sort_key(b)) == sign(reference_key(a), reference_key(b))


@given(st.lists(written_names(), min_size=2, max_size=12))
def test_sorting_by_key_equals_sorting_by_reference(names):
    by_key = [reference_key(n) for n in sorted(names, key=name_sort_key)]
    assert by_key == sorted(reference_key(n) for n in names)


@given(written_names())
@settings(max_examples=50)
def test_nfd_input_gives_the_nfc_key(name):
    nfc = unicodedata.normalize("NFC", name)
    assert name_sort_key(unicodedata.normalize("NFD", name)) == name_sort_key(nfc)


# --- the database orders the stored key the same way -----------------------------------------

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Đặng", "Dương", "Đỗ", "Ưng", "Âu", "Ông"]
MIDDLE = ["", "Văn", "Thị", "Thu", "Ngọc", "Đức", "Thị Thu", "Hữu"]
GIVEN = ["An", "Ân", "Ấn", "Anh", "Ánh", "Bình", "Dung", "Đào", "Hà", "Hạ", "U", "Ư", "Tơ", "Tô"]


def sample_names(count: int) -> list[str]:
    rng = random.Random(2025)
    names = {
        " ".join(w for w in (rng.choice(FAMILY), rng.choice(MIDDLE), rng.choice(GIVEN)) if w)
        for _ in range(count)
    }
    return sorted(names)  # any fixed order: the database must put them in Vietnamese order


def test_database_orders_members_by_name_as_vietnamese_lists_do(db):
    cell = make_org("Chi bộ Khu dân cư số 1", "cell", None)
    names = sample_names(60)
    for name in names:
        make_member(name, cell)
    from_db = list(Member.objects.order_by("name_sort").values_list("full_name", flat=True))
    assert from_db == sorted(names, key=reference_key)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="collations are a PostgreSQL matter")
@pytest.mark.parametrize("collation", ["C", "und-x-icu", "vi-x-icu", "en-x-icu"])
def test_postgresql_collation_does_not_change_the_order(db, collation):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_collation WHERE collname = %s", [collation])
        if cursor.fetchone() is None:
            pytest.skip(f"collation {collation} not installed")
    cell = make_org("Chi bộ Khu dân cư số 2", "cell", None)
    names = sample_names(40)
    for name in names:
        make_member(name, cell)
    collated = Member.objects.order_by(Collate("name_sort", collation))
    assert list(collated.values_list("full_name", flat=True)) == sorted(names, key=reference_key)
