"""What the contest's preparation tells whoever listens, so it needs to know no listener.

The live layer depends on this package (it reads contests, teams and phones); the other way round
would be a cycle. So when the organizer changes something that open connections must follow,
this package sends a signal after storing it, and :mod:`live` subscribes at app setup. The sender
is always the contest's id.
"""
from blinker import Namespace

_signals = Namespace()

phones_revoked = _signals.signal("phones-revoked")
"""A team's phones lost their credentials (revoked, or the team was deleted): ``team=<team id>``."""

phones_changed = _signals.signal("phones-changed")
"""A phone joined a team of the contest."""

join_codes_shown = _signals.signal("join-codes-shown")
"""The organizer showed or hid the join codes on the display after the start: ``shown=<bool>``."""

display_link_renewed = _signals.signal("display-link-renewed")
"""The display link was renewed: pages opened with the old one must close."""
