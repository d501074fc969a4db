"""Pure scoring and aggregation rules for coalition assessments.

Plain Python only: this package never imports Django. Every function takes frozen
dataclasses, mappings or numbers and returns frozen dataclasses, and raises
``ScoringError`` (a ``ValueError``) for input it cannot score.

Modules:

- ``suppression``: minimum group size (k = 5) and complementary suppression.
- ``members``: member types and which member-type views may be shown.
- ``stage``: the stage rule and next steps.
- ``ratings``: rating distributions, voice gap, disagreement, factor bands, rounds.
- ``roles``: role-matrix gaps and partner suggestions.
- ``roadmap``: chapter progress and the proposed action plan.
"""

from __future__ import annotations

from commonground.assessments.domain.errors import ScoringError
from commonground.assessments.domain.suppression import MIN_GROUP_SIZE

__all__ = ["MIN_GROUP_SIZE", "ScoringError"]
