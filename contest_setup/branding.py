"""A contest's branding (品牌与外观): what the organizer sets, and what every branded page shows.

The organizer page (:mod:`contest_setup.routes`) saves the title lines and the theme colour through
:func:`save_words` and each picture through :func:`save_picture`; each refuses bad input in Chinese
(:class:`contest_setup.service.SetupError`) before anything is stored. The pages that show the
branding (the display, the team phones, the join sheets, the report, the certificates) read it
through :func:`brand_of`, a template global, and link :func:`theme_css`, served with the pictures
by :mod:`contest_setup.public`: the colours travel in a stylesheet, never in an inline style, so
the Content-Security-Policy stays strict.
"""
from dataclasses import dataclass

from flask import url_for

from contest_setup import brand_images, contrast
from contest_setup.brand_images import BACKGROUND, LOGO, ImageKind
from contest_setup.models import Contest, ContestBranding, new_token
from contest_setup.service import SetupError
from extensions import db

DEFAULT_THEME = "#15263d"
"""The platform's own dark blue (the display's panels), for a contest that set no colour."""

MAX_TITLE = 60
MAX_SUBTITLE_LINES = 3
MAX_SUBTITLE_LINE = 60

PICTURES: dict[str, tuple[ImageKind, str]] = {"logo": (LOGO, "logo_png"), "background": (BACKGROUND, "background_jpeg")}
"""Each picture's name in a URL or form, its kind and the column that holds it."""

DISPLAY_SCRIM = ("#0b1626", "#b9c6d8")
"""The display's own background and the dimmest text that stands on it (display.css --bg, --dim)."""

PAPER_SCRIM = ("#ffffff", "#4a4a4a")
"""A certificate's paper and its dimmest text (certificates.css)."""


@dataclass(frozen=True)
class Brand:
    """What a branded page shows: the title lines, the colours and the pictures' links."""

    title: str
    subtitle_lines: tuple[str, ...]
    theme: str
    ink: str
    logo_url: str | None
    background_url: str | None
    css_url: str | None  # the per-contest stylesheet, when the contest set a colour or a background
    custom_title: bool  # the organizer set a title (else it is the contest's name)


def branding_row(contest: Contest) -> ContestBranding | None:
    """The stored branding of ``contest``, if it has any."""
    return db.session.get(ContestBranding, contest.id)


def brand_of(contest: Contest) -> Brand:
    """The branding of ``contest`` as its pages show it; defaults for what the organizer did not set."""
    row = branding_row(contest)
    if row is None:
        return Brand(contest.name, (), DEFAULT_THEME, contrast.ink_for(DEFAULT_THEME), None, None, None, False)
    theme = row.theme_colour or DEFAULT_THEME

    def picture(name: str) -> str | None:
        return url_for("contest_public.brand_picture", key=row.asset_key, name=name) if getattr(row, PICTURES[name][1]) else None

    return Brand(row.title or contest.name, tuple(line for line in row.subtitle.splitlines() if line),
                 theme, contrast.ink_for(theme), picture("logo"), picture("background"),
                 url_for("contest_public.brand_css", key=row.asset_key), bool(row.title))


def _row_for_change(contest: Contest) -> ContestBranding:
    """The contest's branding row (created on the first change), with a fresh asset key."""
    row = branding_row(contest)
    if row is None:
        row = ContestBranding(contest_id=contest.id, title="", subtitle="", theme_colour="")
        db.session.add(row)
    row.asset_key = new_token()
    return row


def save_words(contest: Contest, title: str, subtitle: str, theme: str) -> None:
    """Save the title, the subtitle lines (主办单位/承办单位) and the theme colour (empty: the default)."""
    title = " ".join((title or "").split())
    if len(title) > MAX_TITLE:
        raise SetupError(f"标题最多 {MAX_TITLE} 个字")
    lines = [" ".join(line.split()) for line in (subtitle or "").splitlines()]
    lines = [line for line in lines if line]
    if len(lines) > MAX_SUBTITLE_LINES:
        raise SetupError(f"副标题最多 {MAX_SUBTITLE_LINES} 行（如主办单位、承办单位各一行）")
    if any(len(line) > MAX_SUBTITLE_LINE for line in lines):
        raise SetupError(f"副标题每行最多 {MAX_SUBTITLE_LINE} 个字")
    colour = ""
    if (theme or "").strip():
        try:
            colour, _ = contrast.checked_theme(theme)
        except contrast.ColourError as error:
            raise SetupError(str(error)) from error
    row = _row_for_change(contest)
    row.title, row.subtitle, row.theme_colour = title, "\n".join(lines), colour
    db.session.commit()


def save_picture(contest: Contest, name: str, data: bytes) -> None:
    """Check, re-encode and store the logo or the background picture (``name``)."""
    kind, column = PICTURES[name]
    try:
        cleaned = brand_images.clean_image(data, kind)
    except brand_images.ImageError as error:
        raise SetupError(str(error)) from error
    setattr(_row_for_change(contest), column, cleaned)
    db.session.commit()


def remove_picture(contest: Contest, name: str) -> None:
    """Take the logo or the background picture away."""
    row = branding_row(contest)
    if row is not None and getattr(row, PICTURES[name][1]) is not None:
        setattr(_row_for_change(contest), PICTURES[name][1], None)
        db.session.commit()


def row_by_key(key: str) -> ContestBranding | None:
    """The branding whose current asset key is ``key`` (an old or guessed key finds nothing)."""
    return db.session.query(ContestBranding).filter_by(asset_key=key).one_or_none()


def picture_of(row: ContestBranding, name: str) -> tuple[bytes, str] | None:
    """The stored bytes of a picture and their type, or None when the contest has none."""
    kind, column = PICTURES[name]
    data = getattr(row, column)
    return (data, kind.mimetype) if data else None


def _rgba(colour: str, alpha: float) -> str:
    """``colour`` at opacity ``alpha`` as a CSS ``rgba()``."""
    r, g, b = contrast.rgb(colour)
    return f"rgba({r}, {g}, {b}, {alpha})"


def theme_css(row: ContestBranding) -> str:
    """The per-contest stylesheet: the theme colour, its text colour and the background under a scrim
    opaque enough for the text above it (:func:`contest_setup.contrast.scrim_alpha`)."""
    theme = row.theme_colour or DEFAULT_THEME
    rules = [f":root {{ --theme: {theme}; --theme-ink: {contrast.ink_for(theme)}; }}"]
    if row.background_jpeg:
        image = url_for("contest_public.brand_picture", key=row.asset_key, name="background")
        for selector, (scrim, ink) in (("body.display", DISPLAY_SCRIM), (".certificate", PAPER_SCRIM)):
            veil = _rgba(scrim, contrast.scrim_alpha(scrim, ink))
            rules.append(f"{selector} {{ background-image: linear-gradient({veil}, {veil}), url(\"{image}\"); "
                         "background-size: cover; background-position: center; }")
    return "\n".join(rules) + "\n"
