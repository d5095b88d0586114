"""Is a company roster read with every bad row named, and are names and mobile numbers checked?"""
import pytest

from preliminary.roster import FormatError, clean_mobile, clean_person_name, masked_mobile, read_roster
from tests.question_files import ods_bytes, xls_bytes, xlsx_bytes



def test_an_xlsx_roster_is_read():
    """Are the columns found in any order, numbers read as numbers?"""
    result = read_roster("名单.xlsx", xlsx_bytes([["职工人数", "单位名称", "联系人", "统一社会信用代码"],
                                           [120, "云帆数据科技有限公司", "李明", "91310000MA1FL1234X"],
                                           [35.0, "青禾生物", None, None]]))
    assert result.problems == []
    assert [(e.name, e.headcount, e.contact, e.credit_code) for e in result.entries] == [
        ("云帆数据科技有限公司", 120, "李明", "91310000MA1FL1234X"), ("青禾生物", 35, "", "")]


@pytest.mark.parametrize(("filename", "write"), [("名单.xls", xls_bytes), ("名单.et", xls_bytes), ("名单.ods", ods_bytes)])
def test_older_and_open_spreadsheet_rosters_are_read_like_xlsx(filename, write):
    """Are .xls (and WPS .et) and .ods rosters read by the question import's readers, bad rows named?"""
    result = read_roster(filename, write([["单位名称", "职工人数", "联系人"],
                                          ["云帆数据科技有限公司", 120, "李明"],
                                          ["青禾生物", 35.0, None],
                                          ["", 5, "无名"]]))
    assert [(e.name, e.headcount, e.contact) for e in result.entries] == [("云帆数据科技有限公司", 120, "李明"),
                                                                         ("青禾生物", 35, "")]
    assert result.problems == ["第 4 行：单位名称不能为空"]


def test_a_gbk_csv_roster_is_read():
    """Does a CSV saved by a Chinese Excel (GBK) read?"""
    data = "单位名称,职工人数\r\n博远智造,80\r\n".encode("gbk")
    assert read_roster("r.csv", data).entries[0].name == "博远智造"


def test_every_bad_row_is_named():
    """Are an empty name, a bad headcount, a bad credit code and a repeated name each reported by row?"""
    data = ("单位名称,职工人数,统一社会信用代码\n"
            "甲公司,10,\n"
            ",5,\n"
            "乙公司,零,\n"
            "丙公司,0,\n"
            "丁公司,5,12345\n"
            "甲公司,7,\n").encode("utf-8-sig")
    result = read_roster("r.csv", data)
    assert result.problems == [
        "第 3 行：单位名称不能为空",
        "第 4 行：职工人数应为 1–1000000 的整数，而不是「零」",
        "第 5 行：职工人数应为 1–1000000 的整数，而不是「0」",
        "第 6 行：统一社会信用代码「12345」应为 18 位数字或大写字母",
        "第 7 行：单位名称「甲公司」与第 2 行重复",
    ]


@pytest.mark.parametrize(("name", "data", "message"), [
    ("r.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 600, "已损坏或无法读取"),
    ("r.xls", b"<html><table></table></html>", "网页或 XML 格式的表格"),
    ("r.ods", b"PK\x03\x04 not a zip", "已损坏"),
    ("r.pdf", b"%PDF", "xlsx、.xls、.et、.ods 或 .csv"),
    ("r.xlsx", b"not a zip", "不是 .xlsx"),
    ("r.csv", b"", "空的"),
    ("r.csv", "名称,数量\n甲,1\n".encode(), "缺少必需的列：单位名称、职工人数"),
    ("r.csv", "单位名称,职工人数\n".encode(), "没有任何数据行"),
])
def test_unreadable_files_are_refused(name, data, message):
    """Is a file that cannot be a roster refused as a whole, in Chinese?"""
    with pytest.raises(FormatError, match=message):
        read_roster(name, data)


@pytest.mark.parametrize(("typed", "clean"), [
    ("13812345678", "13812345678"), ("138 1234 5678", "13812345678"), ("+86 138-1234-5678", "13812345678")])
def test_mobile_numbers_are_cleaned(typed, clean):
    """Are spaces, dashes and +86 tolerated?"""
    assert clean_mobile(typed) == clean


@pytest.mark.parametrize("typed", ["", "1381234567", "23812345678", "12812345678", "138123456789", "abc", None])
def test_bad_mobile_numbers_are_refused(typed):
    """Is anything but an 11-digit mainland mobile number refused?"""
    with pytest.raises(ValueError, match="手机号"):
        clean_mobile(typed)


@pytest.mark.parametrize(("typed", "message"), [("", "请填写姓名"), ("张" * 31, "不能超过"), ("张三1", "数字"),
                                                ("<b>", "符号"), (None, "请填写姓名")])
def test_bad_names_are_refused(typed, message):
    """Is an empty, long or odd name refused?"""
    with pytest.raises(ValueError, match=message):
        clean_person_name(typed)


def test_names_keep_single_spaces_and_numbers_are_masked():
    """Do foreign names keep a space, and are public numbers masked?"""
    assert clean_person_name("  Anna   Li ") == "Anna Li"
    assert masked_mobile("13812345678") == "138****5678"
