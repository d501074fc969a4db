"""Systems change: the system map and its loops, the asset map, anchor-institution commitments."""
