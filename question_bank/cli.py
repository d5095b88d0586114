"""``flask --app app bank …``: import, export and list question banks from the command line.

Exit status: 0 when the questions went in (with ``--skip-invalid``, when at least one did),
1 when nothing was imported or exported because of the file or its rows, 2 for a wrong call.
Problems go to standard output, one line each with the sheet row number, so they can be saved
with ``> problems.txt``; the closing verdict of a refusal goes to standard error.
"""
from pathlib import Path

import click
from flask.cli import AppGroup

from question_bank.export import EXPORTERS
from question_bank.formats import MAX_FILE_BYTES, FormatError
from question_bank.service import BankError, banks_with_counts, export_bank, find_bank, import_file

bank_cli = AppGroup("bank", help="导入、导出和查看题库。")


def fail(message: str) -> None:
    """Print ``message`` to standard error and stop with status 1."""
    click.echo(message, err=True)
    raise SystemExit(1)


def read_upload(path: Path) -> bytes:
    """The bytes of a question file, refusing one over the size limit before reading it."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        fail(f"无法导入：文件太大（{size / 1048576:.1f} MB），上限为 {MAX_FILE_BYTES // 1048576} MB")
    return path.read_bytes()


@bank_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--bank", "bank_name", required=True, help="题库名称（不存在时新建）")
@click.option("--skip-invalid", is_flag=True, help="只导入无误的行，跳过有问题的行")
def import_command(file: Path, bank_name: str, skip_invalid: bool) -> None:
    """Import FILE (.xlsx .xls .et .ods .csv .json, or a .docx/.txt list) into a bank; nothing if any row is invalid."""
    try:
        outcome = import_file(bank_name, file.name, read_upload(file), skip_invalid=skip_invalid)
    except (FormatError, BankError) as error:
        fail(f"无法导入：{error}")
    for warning in outcome.warnings:
        click.echo(f"提示：{warning}")
    for problem in outcome.problems:
        click.echo(str(problem))
    if outcome.imported == 0:
        hint = "" if skip_invalid else "；可加 --skip-invalid 只导入无误的行"
        fail(f"共 {outcome.bad_rows} {outcome.unit}有问题（{len(outcome.problems)} 处），未导入任何题目{hint}")
    skipped = f"，跳过 {outcome.bad_rows} {outcome.unit}有问题的数据" if outcome.problems else ""
    click.echo(f"已导入 {outcome.imported} 道题到题库「{outcome.bank_name}」{skipped}")


@bank_cli.command("export")
@click.argument("name")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def export_command(name: str, file: Path) -> None:
    """Export the bank NAME to FILE; the format (.xlsx .csv .json .docx .txt) comes from FILE's extension."""
    extension = file.suffix.lower().lstrip(".")
    if extension not in EXPORTERS:
        fail(f"无法导出：不支持的扩展名「{file.suffix or '无'}」，请用 .xlsx、.csv、.json、.docx 或 .txt")
    bank = find_bank(name)
    if bank is None:
        fail(f"无法导出：没有名为「{name}」的题库")
    data = export_bank(bank, extension)
    file.write_bytes(data)
    click.echo(f"已导出题库「{bank.name}」到 {file}")


@bank_cli.command("list")
def list_command() -> None:
    """List the banks with their numbers of questions."""
    banks = banks_with_counts()
    if not banks:
        click.echo("还没有题库")
    for bank, count in banks:
        click.echo(f"{bank.name}\t{count} 道题")
