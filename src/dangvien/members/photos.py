"""Member photos (ảnh 3×4): checked by their content, re-encoded, kept outside the web root.

An upload is decoded with Pillow, whatever its name or declared type says: only a real JPEG, PNG
or WebP image of sane size and about 3:4 portrait shape is accepted. It is then re-encoded as a
JPEG of bounded size, which drops EXIF (location, camera) and anything hidden after the image.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 2 * 1024 * 1024
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
MIN_SIDE = 90  # px: smaller is not recognisable when printed
MAX_SIDE = 6000  # px: larger is a camera original or a decompression bomb, not an ID photo
ASPECT = 3 / 4  # width / height
ASPECT_TOLERANCE = 0.12  # relative: 3:4 photos cut by hand are rarely exact
STORED_SIZE = (300, 400)  # px: enough for screen and print at 3×4 cm (≈ 250 dpi)


@dataclass(frozen=True)
class CheckedPhoto:
    content: bytes  # JPEG
    width: int
    height: int


def check_photo(data: bytes) -> CheckedPhoto:
    """The photo re-encoded as JPEG, or a ValidationError saying in Vietnamese what is wrong."""
    if not data:
        raise ValidationError("Tệp ảnh trống.")
    if len(data) > MAX_BYTES:
        raise ValidationError(
            f"Ảnh lớn quá {MAX_BYTES // (1024 * 1024)} MB ({len(data) / 1024 / 1024:.1f} MB): "
            "hãy chụp hoặc quét lại với độ phân giải thấp hơn."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image_format = image.format
            width, height = image.size
            if image_format not in ACCEPTED_FORMATS:
                raise ValidationError(
                    f"Chỉ nhận ảnh JPEG, PNG hoặc WebP (tệp này là ảnh {image_format})."
                )
            if max(width, height) > MAX_SIDE:
                raise ValidationError(
                    f"Ảnh quá lớn ({width}×{height} điểm ảnh): tối đa {MAX_SIDE} điểm ảnh mỗi cạnh."
                )
            image.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            "Tệp này không phải ảnh hoặc ảnh bị hỏng: hãy chọn ảnh JPEG, PNG hoặc WebP."
        ) from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError("Ảnh quá lớn, không xử lý được.") from error
    upright: Image.Image = ImageOps.exif_transpose(image)  # a phone photo taken sideways stands up
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
    rgb = upright.convert("RGB")
    rgb.thumbnail(STORED_SIZE, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    rgb.save(out, "JPEG", quality=88, optimize=True)  # no exif= : metadata is dropped
    return CheckedPhoto(out.getvalue(), rgb.width, rgb.height)
