from django.contrib import admin

from .models import Check, Finding, ProcedureRule


@admin.register(ProcedureRule)
class ProcedureRuleAdmin(admin.ModelAdmin):
    list_display = ["procedure", "document", "kind", "value", "note"]
    list_filter = ["kind"]
    search_fields = ["procedure__code", "procedure__name", "document__name", "value"]
    autocomplete_fields = ["procedure"]
    raw_id_fields = ["document"]


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0
    fields = ["kind", "requirement_name", "file", "page", "detail", "confidence", "decision", "decided_by"]
    readonly_fields = fields
    can_delete = False


@admin.register(Check)
class CheckAdmin(admin.ModelAdmin):
    list_display = ["dossier", "status", "progress", "complete", "pages", "created_at"]
    list_filter = ["status", "complete"]
    raw_id_fields = ["dossier", "procedure", "requested_by"]
    readonly_fields = ["timings_ms", "error"]
    inlines = [FindingInline]
