"""The voice core's error: a bad file or bad input, with a message naming the line and problem."""

from __future__ import annotations


class SurveyError(ValueError):
    """A survey file or answer sheet that cannot be used; the message says where and why."""
