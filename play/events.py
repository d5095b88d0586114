"""What every client, and the server's log, may know of a stored event."""
from typing import Any

from contest.events import Event, event_to_dict


def summary(event: Event) -> dict[str, Any]:
    """The event as a plain dict, without the contest's configuration (it is large and not public)."""
    data = event_to_dict(event)
    data.pop("config", None)
    return data
