"""Does a pasted team list read the way an organizer typed it, and name every bad line?"""
import pytest

from contest_setup.roster import TeamEntry, parse_roster, parse_seat, split_people


@pytest.mark.parametrize("line", [
    "云帆数据队,云帆数据科技有限公司,李明,王芳,张伟,赵敏",
    "云帆数据队\t云帆数据科技有限公司\t李明\t王芳\t张伟\t赵敏",
    "云帆数据队，云帆数据科技有限公司，李明、王芳、张伟、赵敏",
    "云帆数据队\t云帆数据科技有限公司\t李明、王芳、张伟\t赵敏",
])
def test_tabs_commas_and_enumeration_commas_all_separate(line):
    """Do Excel tabs, half- and full-width commas and 、 give the same team, the 4th member an alternate?"""
    result = parse_roster(line)
    assert result.problems == []
    assert result.entries == [TeamEntry("云帆数据队", "云帆数据科技有限公司", ("李明", "王芳", "张伟"), ("赵敏",))]


def test_a_leading_number_is_the_seat():
    """Is a number before the name read as the seat?"""
    (entry,) = parse_roster("5,锐思软件队,锐思软件信息技术有限公司").entries
    assert (entry.seat, entry.name, entry.members) == (5, "锐思软件队", ())


def test_blank_lines_are_skipped_and_line_numbers_kept():
    """Are empty lines ignored while problems still name the line as pasted?"""
    result = parse_roster("甲队\n\n\n甲队")
    assert len(result.entries) == 2
    assert result.problems == ["第 4 行：队名「甲队」与第 1 行重复"]


def test_every_bad_line_is_reported():
    """Are an empty name, a repeated seat and an out-of-range seat each reported with their line?"""
    result = parse_roster("1,甲队\n1,乙队\n,丙公司\n0,丁队")
    assert result.problems == [
        "第 2 行：座次 1 与第 1 行重复",
        "第 3 行：队名不能为空",
        "第 4 行：座次应为 1–99 的整数，而不是「0」",
    ]


def test_people_and_seat_fields():
    """Do the team form's fields split names on spaces or 、 and check the seat?"""
    assert split_people(" 张三、李四  王五/赵六 ") == ("张三", "李四", "王五", "赵六")
    assert parse_seat("") is None and parse_seat(" 7 ") == 7
    with pytest.raises(ValueError):
        parse_seat("第一")
