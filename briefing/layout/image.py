"""Photos: checked before use, scaled to the column, with a low-resolution warning."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image as PILImage
from reportlab.platypus import Image

from ..errors import ContentError, Location
from ..i18n import _

MAX_PIXELS = 60_000_000       # larger than any press photo; refuses decompression bombs
PRINT_DPI = 200               # below this a photo looks soft in print


@dataclass
class ImageInfo:
    width: int
    height: int
    format: str


def inspect_image(path: Path, where: Location) -> ImageInfo:
    PILImage.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with PILImage.open(path) as im:
            if im.format not in ("JPEG", "PNG"):
                raise ContentError(_("图片格式“{f}”不受支持").format(f=im.format), where, _("请使用 JPEG 或 PNG"))
            w, h = im.size
            if w * h > MAX_PIXELS:
                raise ContentError(_("图片过大（{w}×{h} 像素）").format(w=w, h=h), where)
            im.verify()
            return ImageInfo(w, h, im.format)
    except ContentError:
        raise
    except PILImage.DecompressionBombError:
        raise ContentError(_("图片像素数过多，疑似解压炸弹"), where) from None
    except Exception as e:  # noqa: BLE001 - PIL raises many kinds for a broken file
        raise ContentError(_("无法读取图片：{e}").format(e=e), where) from None


def print_dpi(info: ImageInfo, width_pt: float) -> float:
    return info.width / (width_pt / 72)


def image_flowable(path: Path, info: ImageInfo, width: float) -> Image:
    height = width * info.height / info.width
    return Image(str(path), width=width, height=height)
