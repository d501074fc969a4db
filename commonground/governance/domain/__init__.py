"""The pure core of governance: no Django here."""
