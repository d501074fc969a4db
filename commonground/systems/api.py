"""The systems API; paths start with /{coalition_slug}/."""

from ninja import Router

router = Router(tags=["Systems change"])
