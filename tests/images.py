"""Pictures made on the spot for the branding tests: a plain PNG or JPEG, one with EXIF (a camera
and a GPS position that must not survive), and one whose header claims a huge size."""
from io import BytesIO

from PIL import Image

GPS_IFD = 0x8825
MAKE_TAG = 0x010F


def picture(size=(400, 300), fmt="PNG", colour=(200, 16, 46), exif: bool = False) -> bytes:
    """A one-colour picture of ``size`` in ``fmt``; with ``exif``, a camera make and a GPS block."""
    image = Image.new("RGB", size, colour)
    extra = {}
    if exif:
        tags = Image.Exif()
        tags[MAKE_TAG] = "SecretCam"
        tags[GPS_IFD] = {2: (39.0, 54.0, 27.0), 4: (116.0, 23.0, 30.0)}
        extra["exif"] = tags
    out = BytesIO()
    image.save(out, fmt, **extra)
    return out.getvalue()


def huge_picture(width: int = 7000, height: int = 10) -> bytes:
    """A small file of a picture wider than the branding takes (a 1-bit PNG compresses to nothing)."""
    out = BytesIO()
    Image.new("1", (width, height)).save(out, "PNG")
    return out.getvalue()
