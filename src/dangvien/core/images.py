"""Uploaded images (member photos, images of handbook posts): recognised by their content, bounded
in size, re-encoded.

An upload is decoded with Pillow, whatever its name or declared type says: only a real JPEG, PNG
or WebP image is accepted. It is then re-encoded as a JPEG of bounded size, which drops EXIF
(location, camera) and anything hidden after the image.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
MB = 1024 * 1024


@dataclass(frozen=True)
class CheckedImage:
    content: bytes  # JPEG
    width: int
    height: int


def open_image(
    data: bytes, *, max_bytes: int, max_side: int, at_least: tuple[int, int] | None = None
) -> Image.Image:
    """The image decoded and stood upright (a phone photo taken sideways), or a ValidationError
    saying in Vietnamese what is wrong. `at_least`: a JPEG may be decoded at 1/2, 1/4 or 1/8 of its
    size while still covering this size (far less memory for a camera original)."""
    if not data:
        raise ValidationError("Tệp ảnh trống.")
    if len(data) > max_bytes:
        raise ValidationError(
            f"Ảnh lớn quá {max_bytes // MB} MB ({number_format(round(len(data) / MB, 1), 1)} MB): "
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
            if max(width, height) > max_side:
                raise ValidationError(
                    f"Ảnh quá lớn ({width}×{height} điểm ảnh): tối đa {max_side} điểm ảnh mỗi cạnh."
                )
            if at_least is not None:
                image.draft(None, at_least)
            image.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            "Tệp này không phải ảnh hoặc ảnh bị hỏng: hãy chọn ảnh JPEG, PNG hoặc WebP."
        ) from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError("Ảnh quá lớn, không xử lý được.") from error
    return ImageOps.exif_transpose(image)


def jpeg_within(image: Image.Image, size: tuple[int, int], *, quality: int) -> CheckedImage:
    """The image scaled down to fit `size` (never up), transparent parts on white, as a JPEG
    without metadata."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        rgb = Image.new("RGB", rgba.size, (255, 255, 255))
        rgb.paste(rgba, mask=rgba.getchannel("A"))
    else:
        rgb = image.convert("RGB")
    rgb.thumbnail(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    rgb.save(out, "JPEG", quality=quality, optimize=True)  # no exif= : metadata is dropped
    return CheckedImage(out.getvalue(), rgb.width, rgb.height)
