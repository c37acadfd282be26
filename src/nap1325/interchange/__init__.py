"""Imports and exports between the platform and the files people already keep (DESIGN.md §7)."""
