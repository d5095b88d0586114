"""The preliminary round (初赛): companies' employees answer online on their phones; the best
companies go on to the final, and the organisation award is decided from the data.

The pure rules live in :mod:`preliminary.settings`, :mod:`preliminary.paper`,
:mod:`preliminary.scoring`, :mod:`preliminary.standings` and :mod:`preliminary.awards`; the
tables in :mod:`preliminary.models`; what pages do in :mod:`preliminary.service`. See
docs/preliminary.md.
"""
