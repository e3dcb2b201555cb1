"""kasse: a terminal workbench for a Danish municipal integration caseworker."""

__version__ = "0.1.0"
