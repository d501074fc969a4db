"""The one error type of the funding core."""


class FundingError(ValueError):
    """Bad funding input: a bad file row, a negative amount, an end before a start."""
