"""Number formats for ``ru``: "1 234,5" (non-breaking space, decimal comma).

Only what differs from or must be pinned against Django's own locale formats; dates keep
Django's.
"""

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
