"""Number formats for ``en``: "1,234.5"; dates as the pages print them."""

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

# Dates in pages and reports ({{ day|date:"DATE_FORMAT" }}):
# "27 Jun 2012".
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
