"""Playing a live contest, without any transport: decide a command, store it, then tell whoever listens.

The engine (:mod:`contest`) decides; this package gives it a home in a server process:

- :mod:`play.registry`: one cached state, lock and set of acknowledgements per contest;
- :mod:`play.service`: the one way a command is decided and stored, then subscribers notified;
- :mod:`play.press_log`: the host's log of the presses of the question on screen;
- :mod:`play.intent`: whether a host command still acts where it was meant to;
- :mod:`play.resume`: resuming a contest a stopped process left running;
- :mod:`play.clock` and :mod:`play.ticker`: the server clock and its deadline ticker;
- with several server processes, :mod:`play.routing` (where a contest is decided),
  :mod:`play.lease` (which process owns it), :mod:`play.cluster` (forwarding to the owner through
  Redis) and :mod:`play.replica` (every process shows the owner's decisions).

The Socket.IO layer (:mod:`live`), the judges' corrections (:mod:`results`), the benchmarks and
the tests all call it the same way; the sockets only subscribe to what it stored.
"""
