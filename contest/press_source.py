"""Where a buzz press came from, as the audit stores and shows it: a team's phone (its Socket.IO
session) or a key of a hardware buzzer box read by a buzzer station (live.station).

The audit row keeps one ``connection`` string, so a station press is stored as
``station:<key>:<session>``: the report and the host console then say "抢答器 Digit3" where a phone
press shows the start of its session id. Pure: no Flask.
"""
import re

PHONE_CHARS = 6  # enough of a Socket.IO session id to tell a team's two phones apart
CONNECTION_CHARS = 64  # the audit's column
STATION_PREFIX = "station:"
KEY_PATTERN = re.compile(r"[A-Za-z0-9_.\-]{1,24}")
"""A key as a station names it: a browser's ``KeyboardEvent.code`` ("Digit3", "Numpad1", "F5") or a
bridge's own name for a button ("serial-3")."""


def station_connection(key: str, sid: str) -> str:
    """The audit's connection for a press read by a buzzer station from ``key``."""
    return f"{STATION_PREFIX}{key}:{sid}"[:CONNECTION_CHARS]


def source_label(connection: str) -> str:
    """"抢答器 Digit3" for a station's press, else the start of the phone's session id."""
    if connection.startswith(STATION_PREFIX):
        key = connection[len(STATION_PREFIX):].split(":", 1)[0]
        return f"抢答器 {key}"
    return connection[:PHONE_CHARS]
