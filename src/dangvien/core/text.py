"""Vietnamese text: search folding and name ordering (DOMAIN.md §10).

`fold()` is what search compares: tones and marks gone, đ→d, case-folded, spaces collapsed.
`name_sort_key()` orders full names by given name, then middle, then family name, each compared in
Vietnamese collation: letters first (a < ă < â, d < đ, e < ê, o < ô < ơ, u < ư), tones second
(none < huyền < hỏi < ngã < sắc < nặng). The key is made only of digits so that every database
collation (SQLite BINARY, PostgreSQL with any locale) orders it the same way.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_SPACES = re.compile(r"\s+")
# đ does not decompose in Unicode. Text converted from old Vietnamese encodings often carries the
# look-alike Icelandic eth (Ð U+00D0, ð U+00F0) where Đ is meant: treat it as đ.
_D_STROKE = str.maketrans({"đ": "d", "ð": "d"})

# Combining marks that change the letter (part of the Vietnamese alphabet).
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
# Combining marks that are tones, in collation order (no mark = 0).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

_ALPHABET = [
    *"0123456789",
    *["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m"],
    *["n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z"],
]
# Two digits per letter, from 10 up, so separators (00, 01) sort before every letter.
_LETTER_CODE = {letter: f"{10 + i:02d}" for i, letter in enumerate(_ALPHABET)}
_UNKNOWN_CODE = "99"
_WORD_SEPARATOR = "01"
_TONE_SEPARATOR = "00"


def normalize(text: str) -> str:
    """NFC, trimmed, inner white space collapsed: what every stored name goes through."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    """Search form: 'Đặng Thu Hà' → 'dang thu ha'.

    Case-folded before the marks go (casefold can add a mark: 'İ' → 'i' + dot above), and words
    left empty (a lone mark between spaces) dropped, so fold(fold(x)) == fold(x).
    """
    text = unicodedata.normalize("NFC", text).casefold().translate(_D_STROKE)
    # Word by word, each word folded once: names and documents repeat a few thousand syllables.
    # (Marks never join across white space, so folding the words alone gives the same result.)
    return " ".join(bare for word in text.split() if (bare := _fold_word(word)))


@functools.lru_cache(maxsize=100_000)
def _fold_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    bare = "".join(ch for ch in decomposed if not unicodedata.category(ch).startswith("M"))
    return unicodedata.normalize("NFC", bare)


def _syllable(word: str) -> tuple[str, int]:
    """Letters (with ă â ê ô ơ ư đ kept) and the tone of one lower-case word."""
    letters: list[str] = []
    tone = 0
    for ch in unicodedata.normalize("NFD", word.replace("ð", "đ")):
        if ch in _TONES:
            tone = _TONES[ch]
        elif unicodedata.combining(ch):
            if letters and ch in (_BREVE, _CIRCUMFLEX, _HORN):
                letters[-1] = unicodedata.normalize("NFC", letters[-1] + ch)
            # Other marks (foreign accents) are ignored.
        else:
            letters.append(ch)
    return "".join(letters), tone


def _encode_part(words: list[str]) -> str:
    codes = [_encode_word(word) for word in words]
    return (
        _WORD_SEPARATOR.join(primary for primary, _tone in codes)
        + _TONE_SEPARATOR
        + "".join(tone for _primary, tone in codes)
    )


@functools.lru_cache(maxsize=100_000)
def _encode_word(word: str) -> tuple[str, str]:
    """Letter codes and tone digit of one lower-case word (names repeat: each is encoded once)."""
    letters, tone = _syllable(word)
    return "".join(_LETTER_CODE.get(ch, _UNKNOWN_CODE) for ch in letters), str(tone)


def split_name(full_name: str) -> tuple[str, str, str]:
    """(family, middle, given) of a Vietnamese full name; a one-word name is a given name."""
    words = normalize(full_name).split(" ")
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def name_sort_key(full_name: str) -> str:
    """A digit string that sorts names by given, then middle, then family name."""
    family, middle, given = split_name(full_name.lower())
    parts = [given.split(), middle.split(), family.split()]
    return _TONE_SEPARATOR.join(_encode_part(words) for words in parts)
