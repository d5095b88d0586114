"""WCAG contrast of the branding's colours: which text colour a theme colour takes, and how dark a
scrim a background image needs. Pure.

The theme colour fills the brand band of the display, the phones, the sheets and the certificates;
its text is white or dark, whichever reads better, and a colour on which neither reaches
:data:`MIN_CONTRAST` (WCAG AA for normal text, 4.5:1) is refused. A background image can be any
picture, so the text above it is protected by a scrim (a flat colour laid over the image) that is
opaque enough for the text to reach the same ratio over the brightest and the darkest pixel.
"""
import re

MIN_CONTRAST = 4.5
"""WCAG 2 AA for normal text: what every branded text must reach on its background."""

LIGHT_INK = "#ffffff"
DARK_INK = "#1a1a1a"
"""The two text colours a theme colour may take."""

HEX_COLOUR = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")

SCRIM_STEP = 0.05
"""Scrim opacities are tried in these steps, from clear to opaque."""


class ColourError(ValueError):
    """A colour the branding cannot use; the message says why, in Chinese."""


def normalise(text: str) -> str:
    """``text`` as a lower-case ``#rrggbb``; a three-digit colour is expanded. Refuses anything else."""
    match = HEX_COLOUR.fullmatch((text or "").strip())
    if not match:
        raise ColourError("主题色须为十六进制颜色，如 #C8102E")
    digits = match.group(1).lower()
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    return "#" + digits


def rgb(colour: str) -> tuple[int, int, int]:
    """The red, green and blue (0–255) of a ``#rrggbb`` colour."""
    digits = normalise(colour)[1:]
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _channel(value: int) -> float:
    """One sRGB channel made linear (WCAG 2 relative luminance)."""
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """The WCAG relative luminance of ``colour``: 0 for black, 1 for white."""
    r, g, b = (_channel(v) for v in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def ink_for(theme: str) -> str:
    """The text colour (white or dark) that reads better on ``theme``."""
    return max((LIGHT_INK, DARK_INK), key=lambda ink: contrast(ink, theme))


def checked_theme(text: str) -> tuple[str, str]:
    """The normalised theme colour and its text colour, or a Chinese refusal when no text colour
    reaches :data:`MIN_CONTRAST` on it (mid-tones such as #808080)."""
    theme = normalise(text)
    ink = ink_for(theme)
    ratio = contrast(ink, theme)
    if ratio < MIN_CONTRAST:
        raise ColourError(f"主题色 {theme.upper()} 太接近中间色调：白字和深色字在它上面的对比度都不足 "
                          f"{MIN_CONTRAST}:1（最高 {ratio:.2f}:1），投影上看不清。请选更深或更浅的颜色")
    return theme, ink


def blend(top: str, bottom: str, alpha: float) -> str:
    """``top`` laid over ``bottom`` at opacity ``alpha`` (0 clear, 1 opaque), as ``#rrggbb``."""
    mixed = (round(t * alpha + b * (1 - alpha)) for t, b in zip(rgb(top), rgb(bottom)))
    return "#" + "".join(f"{value:02x}" for value in mixed)


def scrim_alpha(scrim: str, ink: str, target: float = MIN_CONTRAST) -> float:
    """The least opacity of a ``scrim`` colour over any picture for ``ink`` text to reach ``target``:
    checked over a black and a white pixel, the two extremes a picture can hold. 1.0 when only an
    opaque scrim will do (which then needs ``ink`` to read on ``scrim`` itself)."""
    steps = round(1 / SCRIM_STEP)
    for step in range(steps + 1):
        alpha = round(step * SCRIM_STEP, 2)
        if all(contrast(ink, blend(scrim, pixel, alpha)) >= target for pixel in ("#000000", "#ffffff")):
            return alpha
    return 1.0
