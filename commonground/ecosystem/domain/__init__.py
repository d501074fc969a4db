"""Pure network analysis of a coalition's ecosystem: no Django here.

Modules: :mod:`.model` (Actor, Tie, Network, NetworkError, subnetwork),
:mod:`.network` (analyze → NetworkReport), :mod:`.ratings` (trust and value),
:mod:`.response` (response rate and metric warnings), :mod:`.missing` (who is
missing from the table), :mod:`.snapshots` (compare two rounds),
:mod:`.sectors` (the sector taxonomy) and :mod:`.cli` (CSV files → JSON).
"""
