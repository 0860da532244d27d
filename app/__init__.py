"""AI Cockpit: an offline in-car assistant and cockpit display prototype."""

__version__ = "0.1.0"
