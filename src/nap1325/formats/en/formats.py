"""Number formats for ``en``: "1,234.5"; dates keep Django's."""

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
