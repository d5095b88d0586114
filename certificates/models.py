"""The issued certificates: one row per winner and award, with its verification code.

A row keeps what it certifies as it was on the day it was issued (the contest's title, the
winner's name), so a later rename changes neither the printed page nor what /verify answers.
"""
from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from contest_setup.models import utcnow
from extensions import db


class Certificate(db.Model):
    """One certificate: the award, the winner, the date and the code that verifies it."""

    __tablename__ = "certificate"
    __table_args__ = (sa.UniqueConstraint("contest_id", "award", "winner", name="uq_certificate_once"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    contest_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    position: so.Mapped[int]  # the order of the ceremony: first prize first, organisation awards last
    award: so.Mapped[str] = so.mapped_column(sa.String(40))  # "一等奖" … "优秀组织奖"
    winner: so.Mapped[str] = so.mapped_column(sa.String(200))  # the team's or the company's name
    detail: so.Mapped[str] = so.mapped_column(sa.String(200), default="")  # the team's company, or the round
    contest_title: so.Mapped[str] = so.mapped_column(sa.String(200))
    awarded_on: so.Mapped[date]
    code: so.Mapped[str] = so.mapped_column(sa.String(32), unique=True)
    issued_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    issued_by: so.Mapped[str] = so.mapped_column(sa.String(120), default="")
