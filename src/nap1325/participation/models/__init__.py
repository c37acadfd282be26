"""Participation (DESIGN.md §1.2, §4): consultations, inputs and their dispositions, comment
rounds on plan versions, civil society's shadow assessments.

The models live in one module per area; this package imports them so Django finds them.
"""

from nap1325.participation.models.rounds import Comment, CommentRound

__all__ = ["Comment", "CommentRound"]
