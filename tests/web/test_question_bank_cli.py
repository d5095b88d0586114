"""Does `flask bank …` import, export and list as documented, with the right exit status?"""
import pytest

from question_bank.formats import parse_file
from tests.question_files import BAD_ROW, GOOD_ROWS, HEADER, csv_bytes, good_file, xlsx_bytes


@pytest.fixture
def bank_file(tmp_path):
    """Write a question file into the test's folder and return its path."""

    def write(name: str, data: bytes):
        """Write ``data`` as ``name`` in the test's folder."""
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write


def run(runner, *args: str):
    """Invoke ``flask bank …`` with ``args``."""
    return runner.invoke(args=["bank", *map(str, args)])


@pytest.mark.parametrize("extension", ["xlsx", "csv", "json"])
def test_import_prints_the_count(runner, bank_file, extension):
    """Does a valid file import with status 0 and say how many questions went in?"""
    result = run(runner, "import", bank_file(f"q.{extension}", good_file(extension)), "--bank", "税务")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == "已导入 3 道题到题库「税务」"


def test_invalid_rows_import_nothing_and_list_every_problem(runner, bank_file):
    """With a bad row, does import print each problem with its row, exit 1 and store nothing?"""
    path = bank_file("q.xlsx", xlsx_bytes([HEADER, GOOD_ROWS[0], BAD_ROW, GOOD_ROWS[1], BAD_ROW[:1] + ["第二道坏题"] + BAD_ROW[2:]]))
    result = run(runner, "import", path, "--bank", "税务")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "第 3 行「答案」：答案「E」不是已有的选项（A–B）",
        "第 3 行「分值」：分值「十分」不是整数",
        "第 5 行「答案」：答案「E」不是已有的选项（A–B）",
        "第 5 行「分值」：分值「十分」不是整数",
    ]
    assert "共 2 行有问题（4 处），未导入任何题目；可加 --skip-invalid 只导入无误的行" in result.stderr
    assert run(runner, "list").stdout == "还没有题库\n"


def test_skip_invalid_imports_the_valid_rows(runner, bank_file):
    """With --skip-invalid, are the valid rows imported (status 0) and the skipped ones listed?"""
    path = bank_file("q.csv", csv_bytes([HEADER, *GOOD_ROWS, BAD_ROW], "gb18030"))
    result = run(runner, "import", path, "--bank", "税务", "--skip-invalid")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:2] == ["第 5 行「答案」：答案「E」不是已有的选项（A–B）", "第 5 行「分值」：分值「十分」不是整数"]
    assert lines[-1] == "已导入 3 道题到题库「税务」，跳过 1 行有问题的数据"


def test_skip_invalid_with_nothing_valid_fails(runner, bank_file):
    """When every row is bad, does --skip-invalid still exit 1 with nothing imported?"""
    result = run(runner, "import", bank_file("q.csv", csv_bytes([HEADER, BAD_ROW])), "--bank", "税务", "--skip-invalid")
    assert result.exit_code == 1 and "未导入任何题目" in result.stderr


def test_importing_the_same_file_twice_reports_duplicates(runner, bank_file):
    """Does a second import of the same questions report each duplicate instead of merging?"""
    path = bank_file("q.json", good_file("json"))
    assert run(runner, "import", path, "--bank", "税务").exit_code == 0
    again = run(runner, "import", path, "--bank", "税务")
    assert again.exit_code == 1
    assert again.stdout.splitlines()[0].startswith("第 1 条「stem」：题库中已有相同题干的题目（题目 #1）")


def test_text_list_problems_name_the_question_and_line(runner, bank_file):
    """Does importing a text list print each problem with its question and line, and store nothing?"""
    path = bank_file("题库.txt", "一、单选题\n1. 税率？\nA. 13%\nB. 9%\n答案：E\n2. 征收率？\nA. 3%\nB. 5%\n".encode("gbk"))
    result = run(runner, "import", path, "--bank", "税务")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "第 1 题（第 5 行）「答案」：答案「E」不是已有的选项（A–B）",
        "第 2 题（第 6 行）「答案」：找不到答案：请加一行“答案：…”，或把答案写在题干的括号里，如“（ B ）”",
    ]
    assert "共 2 题有问题（2 处），未导入任何题目" in result.stderr


def test_unreadable_file_exits_1_with_the_reason(runner, bank_file):
    """Is a file that is not what its extension says refused with status 1 and the reason?"""
    result = run(runner, "import", bank_file("q.xlsx", b"not a workbook"), "--bank", "税务")
    assert result.exit_code == 1
    assert result.stderr.startswith("无法导入：文件扩展名是 .xlsx，但内容是")


def test_unknown_columns_are_mentioned(runner, bank_file):
    """Is an unknown column mentioned as a hint while the import goes on?"""
    path = bank_file("q.csv", csv_bytes([["备注", *HEADER], ["", *GOOD_ROWS[0]]]))
    result = run(runner, "import", path, "--bank", "税务")
    assert result.exit_code == 0 and "提示：未识别的列「备注」，已忽略" in result.stdout


def test_wrong_call_exits_2(runner, tmp_path):
    """Are a missing file and a missing --bank usage errors (status 2)?"""
    assert run(runner, "import", tmp_path / "missing.xlsx", "--bank", "税务").exit_code == 2
    assert run(runner, "import", tmp_path).exit_code == 2


@pytest.mark.parametrize("extension", ["xlsx", "csv", "json", "docx", "txt"])
def test_export_then_import_gives_the_same_questions(runner, bank_file, tmp_path, extension):
    """Does `bank export` write the format of the extension, and does it import back the same?"""
    run(runner, "import", bank_file("q.xlsx", good_file("xlsx")), "--bank", "税务")
    target = tmp_path / f"导出.{extension}"
    result = run(runner, "export", "税务", target)
    assert result.exit_code == 0 and result.stdout == f"已导出题库「税务」到 {target}\n"
    original = parse_file("q.xlsx", good_file("xlsx")).drafts
    assert parse_file(target.name, target.read_bytes()).drafts == original


def test_export_refusals(runner, tmp_path):
    """Are an unknown bank and an unknown extension refused with status 1?"""
    missing = run(runner, "export", "没有这个", tmp_path / "x.xlsx")
    assert missing.exit_code == 1 and "没有名为「没有这个」的题库" in missing.stderr
    wrong = run(runner, "export", "税务", tmp_path / "x.pdf")
    assert wrong.exit_code == 1 and "不支持的扩展名「.pdf」" in wrong.stderr


def test_list_shows_banks_with_counts(runner, bank_file):
    """Does `bank list` show each bank with its number of questions?"""
    run(runner, "import", bank_file("a.xlsx", good_file("xlsx")), "--bank", "乙题库")
    run(runner, "import", bank_file("b.csv", good_file("csv", GOOD_ROWS[:1])), "--bank", "甲题库")
    result = run(runner, "list")
    assert result.exit_code == 0
    assert sorted(result.stdout.splitlines()) == sorted(["乙题库\t3 道题", "甲题库\t1 道题"])
