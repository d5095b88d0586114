"""品牌与外观 through the pages: the organizer saves words, a colour and pictures (refused with the
reason when bad, nothing stored); the pictures and the stylesheet are served by the platform under
a key that changes with each save; the display, the phone, the join sheets and the report show it."""
import re
from io import BytesIO

import pytest
from flask import url_for
from PIL import Image

from contest_setup import joining
from contest_setup.models import Contest, ContestBranding
from extensions import db
from tests.images import huge_picture, picture
from tests.web.setup_factories import make_contest

WORDS = {"title": "2026年政策知识竞赛决赛", "subtitle": "主办单位：市国资委\n承办单位：市总工会", "theme": "#C8102E"}


@pytest.fixture
def contest_id(app):
    """A ready contest with four teams."""
    with app.app_context():
        return make_contest(ready=True, team_count=4).id


@pytest.fixture
def organizer(client, auth):
    """The client, logged in as the contest's organizer."""
    auth.login_as("organizer")
    return client


def stored(app, contest_id) -> ContestBranding | None:
    """The branding row as stored."""
    with app.app_context():
        row = db.session.get(ContestBranding, contest_id)
        if row is not None:
            db.session.expunge(row)
        return row


def upload(client, contest_id, name, data, filename="pic.png"):
    """Post a picture through the page's form; the page it lands on."""
    return client.post(f"/contests/{contest_id}/branding/{name}", data={"picture": (BytesIO(data), filename)},
                       content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)


def brand_links(page: str) -> dict:
    """The branding links of a page: the per-contest stylesheet and the pictures."""
    return {"css": re.findall(r'href="(/brand/[^"]+/theme\.css)"', page),
            "logo": re.findall(r'src="(/brand/[^"]+/logo)"', page)}


def test_the_words_and_colour_are_saved_and_shown_with_their_contrast(app, organizer, contest_id):
    """Title, two subtitle lines and a red theme: stored normalised, the preview says white text at 5.9:1."""
    page = organizer.post(f"/contests/{contest_id}/branding", data=WORDS, follow_redirects=True).get_data(as_text=True)
    assert "品牌文字与主题色已保存" in page and "白色" in page and "5.9:1" in page
    row = stored(app, contest_id)
    assert (row.title, row.subtitle, row.theme_colour) == (WORDS["title"], WORDS["subtitle"], "#c8102e")
    css = organizer.get(brand_links(page)["css"][0])
    assert css.mimetype == "text/css" and "--theme: #c8102e; --theme-ink: #ffffff;" in css.get_data(as_text=True)


@pytest.mark.parametrize("changes, reason", [
    ({"theme": "#808080"}, "对比度都不足 4.5:1"),
    ({"theme": "红色"}, "主题色须为十六进制颜色"),
    ({"title": "长" * 61}, "标题最多 60 个字"),
    ({"subtitle": "一\n二\n三\n四"}, "副标题最多 3 行"),
])
def test_bad_words_are_refused_and_nothing_changes(app, organizer, contest_id, changes, reason):
    """A mid-grey theme, a colour name, a long title, four subtitle lines: refused, the saved ones kept."""
    organizer.post(f"/contests/{contest_id}/branding", data=WORDS)
    before = stored(app, contest_id)
    page = organizer.post(f"/contests/{contest_id}/branding", data={**WORDS, **changes},
                          follow_redirects=True).get_data(as_text=True)
    assert reason in page
    after = stored(app, contest_id)
    assert (after.title, after.subtitle, after.theme_colour, after.asset_key) == (
        before.title, before.subtitle, before.theme_colour, before.asset_key)


def test_a_logo_is_re_encoded_and_served_by_the_platform(app, organizer, contest_id):
    """A 1600×900 JPEG logo with EXIF: stored as an 800×450 PNG without it, served from /brand/…/logo."""
    page = upload(organizer, contest_id, "logo", picture((1600, 900), "JPEG", exif=True), "logo.jpg")
    assert "图片已上传" in page
    logo = brand_links(page)["logo"][0]
    response = organizer.get(logo)
    served = Image.open(BytesIO(response.data))
    assert response.mimetype == "image/png" and served.size == (800, 450) and not served.getexif()
    assert b"SecretCam" not in response.data


@pytest.mark.parametrize("data, reason", [
    (huge_picture(), "超过每边 6000 像素的上限"),
    (b"MZ\x90\x00 an executable", "不是可识别的图片文件"),
    (b"\xff\xd8\xff" + b"\0" * (5 * 1024 * 1024), "超过 5 MB 上限"),
])
def test_bad_pictures_are_refused_with_the_reason(app, organizer, contest_id, data, reason):
    """A huge picture, a non-picture, a file over 5 MB: refused in Chinese, the stored logo kept."""
    upload(organizer, contest_id, "logo", picture())
    before = stored(app, contest_id).logo_png
    assert reason in upload(organizer, contest_id, "logo", data)
    assert stored(app, contest_id).logo_png == before


def test_a_new_save_changes_the_key_and_the_old_links_die(app, organizer, client, contest_id):
    """Each change renews the asset key: the old stylesheet and logo links answer 404, guesses too."""
    old = brand_links(upload(organizer, contest_id, "logo", picture()))
    new = brand_links(organizer.post(f"/contests/{contest_id}/branding", data=WORDS, follow_redirects=True)
                      .get_data(as_text=True))
    assert old["css"] != new["css"] and organizer.get(new["logo"][0]).status_code == 200
    assert client.get(old["css"][0]).status_code == 404 and client.get(old["logo"][0]).status_code == 404
    assert client.get("/brand/guessed/theme.css").status_code == 404


def test_removing_the_background_takes_it_off_the_stylesheet(app, organizer, contest_id):
    """With a background the stylesheet lays it under a scrim; removed, the stylesheet no longer names it."""
    page = upload(organizer, contest_id, "background", picture((2400, 1600), "JPEG"))
    css = organizer.get(brand_links(page)["css"][0]).get_data(as_text=True)
    assert re.search(r"body\.display \{ background-image: linear-gradient\(rgba\(11, 22, 38, 0\.\d+\)", css)
    page = organizer.post(f"/contests/{contest_id}/branding/background", data={"action": "remove"},
                          follow_redirects=True).get_data(as_text=True)
    css = organizer.get(brand_links(page)["css"][0]).get_data(as_text=True)
    assert "background" not in css and stored(app, contest_id).background_jpeg is None


def test_the_branded_pages_show_the_title_subtitle_logo_and_colour(app, organizer, client, contest_id):
    """The display, a team's phone, the join sheets and the report: title, logo and stylesheet on each."""
    organizer.post(f"/contests/{contest_id}/branding", data=WORDS)
    upload(organizer, contest_id, "logo", picture())
    with app.app_context():
        contest = db.session.get(Contest, contest_id)
        display = f"/display/{contest.id}/{contest.display_token}"
        with app.test_request_context():
            join = url_for("contest_public.join", token=joining.make_join_token(contest.teams_by_seat[0]))
    phone = app.test_client()
    phone.post(join)
    pages = {"display": client.get(display), "phone": phone.get("/team"),
             "sheets": organizer.get(f"/contests/{contest_id}/join-sheet")}
    for name, response in pages.items():
        page = response.get_data(as_text=True)
        links = brand_links(page)
        assert response.status_code == 200 and WORDS["title"] in page, name
        assert len(links["css"]) == 1 and links["logo"], name
    assert "承办单位：市总工会" in pages["display"].get_data(as_text=True)
    assert "承办单位：市总工会" in pages["sheets"].get_data(as_text=True)


def test_without_branding_the_pages_show_the_contest_name_and_no_stylesheet(app, client, contest_id):
    """A contest that set nothing: the display shows its name, links no per-contest stylesheet or logo."""
    with app.app_context():
        contest = db.session.get(Contest, contest_id)
        page = client.get(f"/display/{contest.id}/{contest.display_token}").get_data(as_text=True)
        assert contest.name in page and brand_links(page) == {"css": [], "logo": []}
