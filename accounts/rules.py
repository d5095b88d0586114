"""What a user name and a password must be: pure rules shared by the pages and the command line.

User names are compared as people read them: ``ＨＯＳＴ``, ``Host`` and ``host`` are one name. A name
is normalised with NFKC (full-width letters become ASCII ones, compatibility characters their plain
form) and stripped; its **key**, the normalised name case-folded, is what must be unique.

Passwords follow NIST SP 800-63B rather than composition rules: long enough, not absurdly long,
not one of the passwords every guesser tries first, and not the user name itself.
"""
import unicodedata

NAME_MIN, NAME_MAX = 2, 32
PASSWORD_MIN, PASSWORD_MAX = 8, 128

COMMON_PASSWORDS = frozenset({
    "12345678", "123456789", "1234567890", "0123456789", "87654321", "11111111", "88888888", "66666666",
    "00000000", "12341234", "11223344", "password", "password1", "passw0rd", "p@ssw0rd", "qwertyui",
    "qwerty123", "qwertyuiop", "1qaz2wsx", "1q2w3e4r", "abcd1234", "abc12345", "a1234567", "aa123456",
    "iloveyou", "admin123", "admin1234", "administrator", "welcome1", "changeme", "letmein1", "woaini1314",
    "5201314520", "demo-organizer", "demo-host",
})
"""Passwords guessed first (lower-cased), and the demo passwords printed in the README."""


class RuleError(ValueError):
    """A name or password breaks a rule; the message says which, in Chinese."""


def normalise_name(name: str) -> str:
    """The name as it is stored and shown: NFKC, without surrounding spaces."""
    return unicodedata.normalize("NFKC", name or "").strip()


def name_key(name: str) -> str:
    """What makes two names the same name: the normalised name, case-folded (and normalised again)."""
    return unicodedata.normalize("NFKC", normalise_name(name).casefold())


def checked_name(name: str) -> str:
    """The normalised name, or :class:`RuleError` when it is too short, too long or has spaces or controls."""
    name = normalise_name(name)
    if not name:
        raise RuleError("用户名不能为空")
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise RuleError(f"用户名应为 {NAME_MIN}–{NAME_MAX} 个字符")
    if any(char.isspace() or unicodedata.category(char)[0] in "CZ" for char in name):
        raise RuleError("用户名不能包含空格或控制字符")
    return name


def check_password(password: str, username: str = "") -> None:
    """Refuse (:class:`RuleError`) a password that is too short, too long, common or the user name."""
    if len(password) < PASSWORD_MIN:
        raise RuleError(f"密码至少需要 {PASSWORD_MIN} 个字符")
    if len(password) > PASSWORD_MAX:
        raise RuleError(f"密码最多 {PASSWORD_MAX} 个字符")
    folded = password.casefold()
    if folded in COMMON_PASSWORDS or len(set(folded)) == 1:
        raise RuleError("密码过于常见，请换一个更难猜的密码")
    if username and name_key(username) in name_key(password):
        raise RuleError("密码不能包含用户名")
