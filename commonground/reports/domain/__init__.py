"""The pure core of reports: no Django here."""
