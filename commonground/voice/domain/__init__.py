"""The pure core of voice: no Django here."""
