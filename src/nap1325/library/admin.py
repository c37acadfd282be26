from django.contrib import admin

from nap1325.core.admin import AuditedAdmin
from nap1325.library.models import FrameworkIndicator, Pillar


@admin.register(Pillar)
class PillarAdmin(AuditedAdmin):
    list_display = ("key", "name", "order")


@admin.register(FrameworkIndicator)
class FrameworkIndicatorAdmin(AuditedAdmin):
    list_display = ("framework", "code", "title", "pillar", "status")
    list_filter = ("framework", "status")
    search_fields = ("code", "title")
