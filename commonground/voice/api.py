"""The voice API; paths start with /{coalition_slug}/."""

from ninja import Router

router = Router(tags=["Community voice"])
