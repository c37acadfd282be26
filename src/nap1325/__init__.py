"""NAP 1325 Platform: National Action Plans on UN Security Council resolution 1325."""

__version__ = "0.1.0"
