"""Number formats for ``ky``: "1 234,5" (non-breaking space, decimal comma).

Only what differs from or must be pinned against Django's own locale formats; dates as the
pages print them.
"""

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3

# Dates in pages and reports ({{ day|date:"DATE_FORMAT" }}):
# "27.06.2012" (Django's "27 Июнь 2012 ж." puts the month in the wrong form).
DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y H:i"
