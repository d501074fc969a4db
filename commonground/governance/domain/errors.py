"""The one error type of the governance core."""


class GovernanceError(ValueError):
    """Bad input to a governance computation (a seats file, a vote, a rule)."""
