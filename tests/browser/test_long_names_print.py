"""The printed report with real company names: every table fits the printable width of an A4
page, names wrap instead of pushing the 奖项 and 备注 columns off the paper."""
import pytest

from tests.browser.fresh import long_names_server, open_organizer, play_a_final  # noqa: F401

pytestmark = pytest.mark.browser

A4_MM = (210, 297)
MARGIN_MM = 12  # @page margin in results.css
PX_PER_MM = 96 / 25.4

# Every table of the report, measured as printed: its width against the width of the page's content.
TABLE_WIDTHS = """() => {
  const report = document.querySelector('.report').getBoundingClientRect();
  return [...document.querySelectorAll('.report table')].map((table) => ({
    table: (table.closest('section').querySelector('h2') || {}).textContent + ' ' + table.className,
    width: Math.ceil(Math.max(table.getBoundingClientRect().width, table.scrollWidth)),
    right: Math.ceil(table.getBoundingClientRect().right),
    page: Math.floor(report.right),
  }));
}"""


def test_the_report_prints_on_a4_with_every_column(browser, long_names_server, screenshot_dir):
    play_a_final(long_names_server)
    contest = long_names_server.demo["contest"]
    portrait = round((A4_MM[0] - 2 * MARGIN_MM) * PX_PER_MM)
    page, errors = open_organizer(browser, long_names_server, {"width": portrait, "height": 1000})
    page.goto(f"{long_names_server.url}/contests/{contest}/report")
    page.emulate_media(media="print")

    widths = page.evaluate(TABLE_WIDTHS)
    assert len(widths) >= 3, widths
    too_wide = [w for w in widths if w["right"] > w["page"] + 1 or w["width"] > portrait + 1]
    assert too_wide == [], f"tables wider than the {portrait} px printable width of A4: {too_wide}"
    for header in ("奖项", "备注"):
        cell = page.locator(".results-table th", has_text=header)
        assert cell.bounding_box()["x"] + cell.bounding_box()["width"] <= portrait + 1
    for number, section in enumerate(page.locator(".report-section").all(), start=1):
        section.screenshot(path=str(screenshot_dir / f"{number:02d}_section_as_printed.png"))

    pdf = page.pdf(format="A4", print_background=True)
    (screenshot_dir / "report.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF")
    assert errors == []
