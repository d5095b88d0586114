"""The branding's pure rules: WCAG contrast and the text colour a theme takes, the scrim over a
background picture, and the checks and re-encoding of an uploaded picture."""
from io import BytesIO

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from contest_setup import brand_images, contrast
from contest_setup.brand_images import BACKGROUND, LOGO, ImageError, clean_image
from contest_setup.contrast import ColourError, MIN_CONTRAST
from tests.images import GPS_IFD, MAKE_TAG, huge_picture, picture

colours = st.integers(0, 0xFFFFFF).map(lambda value: f"#{value:06x}")


def test_contrast_matches_the_wcag_reference_values():
    """Black on white is 21:1, a colour on itself 1:1, and #767676 on white the known 4.54:1."""
    assert contrast.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast.contrast("#c8102e", "#C8102E") == pytest.approx(1.0)
    assert contrast.contrast("#767676", "#fff") == pytest.approx(4.54, abs=0.01)


@given(colours, colours)
def test_contrast_is_symmetric_and_between_1_and_21(first, second):
    """Does the ratio not depend on the order, and stay within WCAG's range?"""
    ratio = contrast.contrast(first, second)
    assert ratio == pytest.approx(contrast.contrast(second, first)) and 1 <= ratio <= 21.0001


@given(colours)
def test_an_accepted_theme_always_reads_at_4_5(colour):
    """Every colour is either refused or gets a text colour that reaches 4.5:1 on it."""
    try:
        theme, ink = contrast.checked_theme(colour)
    except ColourError as error:
        assert "对比度" in str(error)
        assert max(contrast.contrast(ink, colour) for ink in (contrast.LIGHT_INK, contrast.DARK_INK)) < MIN_CONTRAST
    else:
        assert contrast.contrast(ink, theme) >= MIN_CONTRAST


def test_dark_themes_take_white_text_and_light_ones_dark_text():
    """Party red and navy take white; a pale yellow takes dark text; mid grey is refused with the ratio."""
    assert contrast.checked_theme("#C8102E") == ("#c8102e", "#ffffff")
    assert contrast.checked_theme("#0b1626")[1] == "#ffffff"
    assert contrast.checked_theme("fe6")[1] == "#1a1a1a"
    with pytest.raises(ColourError, match="4.41:1"):
        contrast.checked_theme("#808080")


@pytest.mark.parametrize("text", ["red", "#12345", "#GGGGGG", "", "rgb(1,2,3)"])
def test_what_is_not_a_hex_colour_is_refused(text):
    """Names, wrong lengths and other notations are refused in Chinese."""
    with pytest.raises(ColourError, match="十六进制"):
        contrast.normalise(text)


@given(st.sampled_from([("#0b1626", "#b9c6d8"), ("#ffffff", "#4a4a4a"), ("#000000", "#ffffff")]), colours)
def test_the_scrim_keeps_text_readable_over_any_pixel(pair, pixel):
    """Over any pixel of a picture, the scrim the page uses leaves its text at 4.5:1 or more."""
    scrim, ink = pair
    alpha = contrast.scrim_alpha(scrim, ink)
    assert 0 < alpha < 1
    assert contrast.contrast(ink, contrast.blend(scrim, pixel, alpha)) >= MIN_CONTRAST - 0.05  # rounding to whole RGB


def test_the_scrim_is_the_lightest_that_works():
    """One step less opaque would not do (over a white or a black pixel)."""
    alpha = contrast.scrim_alpha("#0b1626", "#b9c6d8")
    lighter = round(alpha - contrast.SCRIM_STEP, 2)
    assert min(contrast.contrast("#b9c6d8", contrast.blend("#0b1626", p, lighter)) for p in ("#000000", "#ffffff")) < MIN_CONTRAST


def test_a_photo_with_exif_comes_back_without_it_and_smaller():
    """A 3000×2000 JPEG with a camera and a GPS position: stored as a 1620×1080 JPEG without EXIF."""
    stored = Image.open(BytesIO(clean_image(picture((3000, 2000), "JPEG", exif=True), BACKGROUND)))
    assert stored.format == "JPEG" and stored.size == (1620, 1080)
    assert MAKE_TAG not in stored.getexif() and GPS_IFD not in stored.getexif() and "exif" not in stored.info


def test_a_png_logo_with_exif_is_stripped_and_keeps_its_format():
    """A PNG logo with EXIF: a PNG again, at most 800 px, no EXIF or text chunk left."""
    data = picture((1200, 600), "PNG", exif=True)
    assert b"SecretCam" in data
    cleaned = clean_image(data, LOGO)
    stored = Image.open(BytesIO(cleaned))
    assert stored.format == "PNG" and stored.size == (800, 400) and b"SecretCam" not in cleaned
    assert not stored.getexif()


def test_a_huge_picture_is_refused_before_it_is_decoded():
    """7000 px wide (in a file of a few hundred bytes): refused with its size and the limit."""
    with pytest.raises(ImageError, match="7000×10 像素，超过每边 6000 像素"):
        clean_image(huge_picture(), LOGO)


def test_a_header_claiming_a_decompression_bomb_is_refused_as_too_big():
    """A picture whose header claims more pixels than Pillow opens at all is refused for its size."""
    with pytest.raises(ImageError, match="尺寸过大"):
        clean_image(huge_picture(14000, 14000), BACKGROUND)


@pytest.mark.parametrize("data, reason", [
    (b"", "文件是空的"),
    (b"%PDF-1.7 not a picture", "不是可识别的图片文件"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "不是可识别的图片文件"),
])
def test_what_is_not_a_picture_is_refused(data, reason):
    """Empty, another kind of file, a PNG signature with nothing behind it."""
    with pytest.raises(ImageError, match=reason):
        clean_image(data, LOGO)


def test_a_file_over_5_mb_is_refused_whatever_it_holds():
    """5 MB + 1 byte: refused by its size alone."""
    with pytest.raises(ImageError, match="超过 5 MB"):
        clean_image(b"\0" * (brand_images.MAX_UPLOAD_BYTES + 1), BACKGROUND)


def test_a_gif_is_refused_by_its_format():
    """A readable picture in a format we do not take."""
    with pytest.raises(ImageError, match="不支持 GIF"):
        clean_image(picture((10, 10), "GIF"), LOGO)
