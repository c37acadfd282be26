"""Read-only admin of consultations, inputs and shadow assessments.

Writes go through the services (dispositions need reasons and derive the input's own
disposition; shadow assessments keep their history), so the admin inspects only.
"""

from django.contrib import admin

from nap1325.monitoring.admin import ReadOnlyAdmin
from nap1325.participation.models import Consultation, Input, ShadowAssessment


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ["title", "plan", "level", "date", "women", "men", "is_published"]
    list_filter = ["plan", "level", "is_published"]
    search_fields = ["title", "place", "region"]


@admin.register(Input)
class InputAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "consultation", "group", "region", "disposition"]
    list_filter = ["disposition", "group"]
    search_fields = ["text"]


@admin.register(ShadowAssessment)
class ShadowAssessmentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "rating", "version", "updated_at"]
    list_filter = ["plan", "rating"]
