"""Number formats for ``ru``: "1 234,5" (non-breaking space, decimal comma).

Only what differs from or must be pinned against Django's own locale formats; dates as the
pages print them.
"""

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3

# Dates in pages and reports ({{ day|date:"DATE_FORMAT" }}):
# "27 июня 2012" (the month in the genitive, lower case).
DATE_FORMAT = "j E Y"
DATETIME_FORMAT = "j E Y H:i"
