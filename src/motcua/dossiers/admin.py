from django.contrib import admin

from .models import DayOff, Dossier, Event, WorkflowStep


@admin.register(DayOff)
class DayOffAdmin(admin.ModelAdmin):
    list_display = ["day", "agency", "working", "note"]
    list_filter = ["working", "agency"]


@admin.register(WorkflowStep)
class WorkflowStepAdmin(admin.ModelAdmin):
    list_display = ["case", "order", "name", "role", "hours"]
    autocomplete_fields = ["case"]


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    can_delete = False
    fields = ["at", "action", "actor", "from_status", "to_status", "receiver", "step", "timeliness", "note"]
    readonly_fields = fields


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    """Read-only: dossiers change only through the transitions of services/ (which keep the timeline)."""

    list_display = ["code", "procedure", "agency", "status", "submitted_at", "due_at"]
    list_filter = ["status", "channel", "agency"]
    search_fields = ["code", "applicant_name"]
    inlines = [EventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
