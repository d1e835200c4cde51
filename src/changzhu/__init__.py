"""changzhu (常住): basic public services where people live, not where their hukou is registered."""

__version__ = "0.1.0"
