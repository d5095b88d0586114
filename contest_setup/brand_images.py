"""The branding's pictures: checked, re-encoded and shrunk before anything is stored.

An upload is never stored as sent. It must be a PNG, JPEG or WebP file of at most
:data:`MAX_UPLOAD_BYTES` and :data:`MAX_SIDE_PX` pixels a side (a larger one is refused before it
is decoded, so a small file that unpacks into a huge bitmap costs nothing); it is then decoded,
turned upright by its EXIF orientation, shrunk to what a 1080p projector can show and encoded
afresh without any metadata (EXIF with a camera's GPS position, text chunks, colour profiles).
The stored bytes are served by the platform itself (:mod:`contest_setup.public`), never linked.
"""
from dataclasses import dataclass
from io import BytesIO

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_SIDE_PX = 6000
ACCEPTED_FORMATS = frozenset({"PNG", "JPEG", "WEBP"})


class ImageError(ValueError):
    """A picture the branding refuses; the message says why, in Chinese."""


@dataclass(frozen=True)
class ImageKind:
    """What one branding picture becomes: its largest size, its format and its name on the page."""

    label: str
    max_size: tuple[int, int]
    format: str  # "PNG" keeps a logo's transparency; "JPEG" keeps a photo small
    mimetype: str


LOGO = ImageKind("标志（Logo）", (800, 800), "PNG", "image/png")
BACKGROUND = ImageKind("背景图", (1920, 1080), "JPEG", "image/jpeg")


def clean_image(data: bytes, kind: ImageKind) -> bytes:
    """The upload ``data`` checked and re-encoded as ``kind``, or :class:`ImageError` with the reason."""
    if not data:
        raise ImageError(f"{kind.label}：文件是空的")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImageError(f"{kind.label}：文件 {len(data) / 1024 / 1024:.1f} MB，超过 5 MB 上限，请压缩后再上传")
    image = _opened(data, kind)
    width, height = image.size
    if max(width, height) > MAX_SIDE_PX:
        raise ImageError(f"{kind.label}：图片 {width}×{height} 像素，超过每边 {MAX_SIDE_PX} 像素的上限")
    try:
        image.load()
        image = ImageOps.exif_transpose(image)
    except (OSError, ValueError) as error:
        raise ImageError(f"{kind.label}：图片已损坏，无法读取") from error
    image.thumbnail(kind.max_size, Image.Resampling.LANCZOS)
    return _encoded(image, kind)


def _opened(data: bytes, kind: ImageKind) -> Image.Image:
    """The picture's header read (not yet its pixels), or a refusal for what is not a picture we take."""
    try:
        image = Image.open(BytesIO(data))
    except Image.DecompressionBombError as error:  # a header claiming far more pixels than we take
        raise ImageError(f"{kind.label}：图片尺寸过大，超过每边 {MAX_SIDE_PX} 像素的上限") from error
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise ImageError(f"{kind.label}：不是可识别的图片文件，请上传 PNG、JPEG 或 WebP 图片") from error
    if image.format not in ACCEPTED_FORMATS:
        raise ImageError(f"{kind.label}：不支持 {image.format} 格式，请上传 PNG、JPEG 或 WebP 图片")
    return image


def _encoded(image: Image.Image, kind: ImageKind) -> bytes:
    """``image`` encoded as ``kind`` from its pixels alone (no EXIF, text or colour profile)."""
    if kind.format == "JPEG":
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    image.info = {}
    out = BytesIO()
    image.save(out, kind.format, **({"quality": 85, "optimize": True} if kind.format == "JPEG" else {"optimize": True}))
    return out.getvalue()
