"""Member photos (ảnh 3×4): checked by their content, re-encoded, kept outside the web root.

An upload goes through `core.images` (a real JPEG, PNG or WebP image, whatever its name says,
re-encoded as a JPEG without metadata); a photo must also be of sane size and about 3:4 portrait
shape.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from dangvien.core.images import CheckedImage, jpeg_within, open_image

MAX_BYTES = 2 * 1024 * 1024
MIN_SIDE = 90  # px: smaller is not recognisable when printed
MAX_SIDE = 6000  # px: larger is a camera original or a decompression bomb, not an ID photo
ASPECT = 3 / 4  # width / height
ASPECT_TOLERANCE = 0.12  # relative: 3:4 photos cut by hand are rarely exact
STORED_SIZE = (300, 400)  # px: enough for screen and print at 3×4 cm (≈ 250 dpi)


def check_photo(data: bytes) -> CheckedImage:
    """The photo re-encoded as JPEG, or a ValidationError saying in Vietnamese what is wrong."""
    upright = open_image(data, max_bytes=MAX_BYTES, max_side=MAX_SIDE)
    width, height = upright.size
    if min(width, height) < MIN_SIDE:
        raise ValidationError(
            f"Ảnh quá nhỏ ({width}×{height} điểm ảnh): cần ít nhất {MIN_SIDE} điểm ảnh mỗi cạnh."
        )
    ratio = width / height
    if abs(ratio - ASPECT) / ASPECT > ASPECT_TOLERANCE:
        raise ValidationError(
            f"Ảnh phải là ảnh chân dung khổ 3×4 (rộng : cao = 3 : 4); ảnh này {width}×{height} "
            "điểm ảnh. Hãy cắt ảnh theo khổ 3×4 rồi tải lên lại."
        )
    return jpeg_within(upright, STORED_SIZE, quality=88)
