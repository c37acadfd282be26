"""Names of reference data that the interface translates (picked up by makemessages).

The data itself lives in ``data/frameworks.yaml``; these literals only put the display
names into the translation catalogues.
"""

from django.utils.translation import gettext_noop

PILLAR_NAMES = [
    gettext_noop("Prevention"),
    gettext_noop("Participation"),
    gettext_noop("Protection"),
    gettext_noop("Relief and Recovery"),
    gettext_noop("Coordination and M&E"),
]
