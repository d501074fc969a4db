"""Pure core of shared measurement: importers, equity statistics, goals and trends.

Nothing here imports Django. Functions take plain values or polars frames and return
frozen dataclasses, TypedDicts or polars frames; every failure is a ``MeasurementError``.
"""
