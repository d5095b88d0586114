"""The names of the Socket.IO protocol, defined once: the server uses them and the pages load
them from ``/live/protocol.js`` (see :mod:`live.routes`). docs/protocol.md describes each one.
"""

NAMESPACES = {"host": "/host", "display": "/display", "team": "/team", "audience": "/audience",
              "station": "/station"}

# server → client
SNAPSHOT = "snapshot"  # the whole view for the client's role
CHANGE = "change"  # a merge patch of that view, numbered by the contest's event sequence
CLOCK_PROBE = "clock_probe"  # to phones and buzzer stations: answer at once with your clock (for fair buzzing)

# client → server (each answered by an acknowledgement)
COMMAND = "command"  # host: any host command
BUZZ = "buzz"  # team
STATION_BUZZ = "station_buzz"  # buzzer station: a hardware key pressed for one team
ANSWER = "answer"  # team
CHOOSE_TIER = "choose_tier"  # team
ABSTAIN = "abstain"  # team
RESYNC = "resync"  # any: ask for a fresh snapshot
CLOCK = "clock"  # any: clock-sync ping
MUTE = "mute"  # host: silence (or restore) the display's sounds
DROP_PHONE = "drop_phone"  # host: unbind one phone of a team

# the audience questions (namespace /audience, package audience/)
AUDIENCE_VIEW = "audience_view"  # server → any: the hall's question as this role sees it
AUDIENCE_TALLY = "audience_tally"  # server → host, display: the live distribution (a few times a second)
AUDIENCE_ANSWER = "audience_answer"  # audience phone: its answer
AUDIENCE_COMMAND = "audience_command"  # host: open, close, reveal, draw, end
AUDIENCE_BANK = "audience_bank"  # host: the bank questions that may be put to the hall

MAX_PAYLOAD_BYTES = 2048


def as_javascript() -> str:
    """The names as an ES module, so the pages never spell an event name themselves."""
    names = {
        "NAMESPACES": NAMESPACES,
        "EVENTS": {
            "SNAPSHOT": SNAPSHOT, "CHANGE": CHANGE, "COMMAND": COMMAND, "BUZZ": BUZZ, "ANSWER": ANSWER,
            "CHOOSE_TIER": CHOOSE_TIER, "ABSTAIN": ABSTAIN, "RESYNC": RESYNC, "CLOCK": CLOCK,
            "CLOCK_PROBE": CLOCK_PROBE, "MUTE": MUTE, "DROP_PHONE": DROP_PHONE, "STATION_BUZZ": STATION_BUZZ,
            "AUDIENCE_VIEW": AUDIENCE_VIEW, "AUDIENCE_TALLY": AUDIENCE_TALLY, "AUDIENCE_ANSWER": AUDIENCE_ANSWER,
            "AUDIENCE_COMMAND": AUDIENCE_COMMAND, "AUDIENCE_BANK": AUDIENCE_BANK,
        },
    }
    import json

    lines = ["// Generated from live/protocol.py: the one place the event names are defined."]
    lines += [f"export const {name} = Object.freeze({json.dumps(value)});" for name, value in names.items()]
    return "\n".join(lines) + "\n"
