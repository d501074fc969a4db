"""Pure network analysis of a coalition's ecosystem: no Django here.

Modules: :mod:`.model` (Actor, Tie, Network, NetworkError, subnetwork),
:mod:`.network` (analyze → NetworkReport), :mod:`.ratings` (trust and value),
:mod:`.response` (response rate and metric warnings), :mod:`.missing` (who is
missing from the table), :mod:`.snapshots` (compare two rounds),
:mod:`.sectors` (the sector taxonomy), :mod:`.cli` (CSV files → JSON),
:mod:`.eigenvector` (eigenvector centrality with numpy, never raising),
:mod:`.fingerprint` (a hash of a network's content, for caching analyses),
:mod:`.readings` (the numbers behind plain-language readings of the scores),
:mod:`.families` (sectors grouped into seven families, each a colour and a shape),
:mod:`.symbols` (d3's symbol shapes as SVG paths), :mod:`.labels` (labels placed
without overlap) and :mod:`.power` (the power map's drawing).
"""
