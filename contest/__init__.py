"""The contest as a pure state machine: rules, state, commands, events, standings, projections.

Nothing in this package imports Flask, Socket.IO or SQLAlchemy; time and chance are passed in.
"""
