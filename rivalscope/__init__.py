"""rivalscope: competitive-intelligence scraper and comparison engine."""

__version__ = "0.1.0"
