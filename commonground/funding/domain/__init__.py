"""The pure core of funding: no Django here."""
