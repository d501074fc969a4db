"""Shared power: bodies, seats, meetings, votes, the decision log, agreements and the policy agenda."""
