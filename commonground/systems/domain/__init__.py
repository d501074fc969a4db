"""The pure core of systems: no Django here."""
