from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import ChannelOption, Fee, Field, FormTemplate, Procedure, ProcedureCase, RequiredDocument
from .services import schedule_reindex


class ReindexOnSave:
    """Admin edits go through the same path as imports: saved, then re-indexed after commit."""

    def procedure_code(self, obj) -> str:
        return obj.code

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        schedule_reindex([self.procedure_code(form.instance)])

    def delete_model(self, request, obj):
        code = self.procedure_code(obj)
        super().delete_model(request, obj)
        schedule_reindex([code])


class ChannelInline(admin.TabularInline):
    model = ChannelOption
    extra = 0
    fields = ["channel", "time_value", "time_unit", "time_text", "free", "fee_text", "order"]
    show_change_link = True


class CaseInline(admin.TabularInline):
    model = ProcedureCase
    extra = 0
    fields = ["name", "time_value", "time_unit", "order"]
    show_change_link = True


@admin.register(Procedure)
class ProcedureAdmin(ReindexOnSave, admin.ModelAdmin):
    list_display = ["code", "name", "field", "levels", "online_level", "source", "updated_at"]
    list_filter = ["source", "online_level", "field"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["field", "agencies"]
    inlines = [ChannelInline, CaseInline]
    readonly_fields = ["import_problems", "updated_at"]
    fieldsets = [
        (
            None,
            {"fields": ["code", "name", "summary", "i18n", "field", "levels", "online_level", "keywords"]},
        ),
        (
            _("Who and where"),
            {
                "fields": [
                    "applicant_types",
                    "competent_authority",
                    "agencies",
                    "coordinating_agencies",
                    "implementing_agency",
                    "reception_address",
                ]
            },
        ),
        (_("Content"), {"fields": ["steps", "conditions", "result", "legal_basis"]}),
        (
            _("Source"),
            {
                "fields": [
                    "source",
                    "source_url",
                    "publication_decision",
                    "procedure_type",
                    "import_problems",
                    "updated_at",
                ]
            },
        ),
    ]


class FeeInline(admin.TabularInline):
    model = Fee
    extra = 0


@admin.register(ChannelOption)
class ChannelAdmin(ReindexOnSave, admin.ModelAdmin):
    list_display = ["procedure", "channel", "time_value", "time_unit", "free"]
    inlines = [FeeInline]
    autocomplete_fields = ["procedure"]

    def procedure_code(self, obj):
        return obj.procedure.code

    def has_module_permission(self, request):
        return False  # reached from the procedure page


class DocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0
    exclude = ["key", "retired_at"]
    autocomplete_fields = ["form"]


@admin.register(ProcedureCase)
class CaseAdmin(ReindexOnSave, admin.ModelAdmin):
    list_display = ["procedure", "name", "time_value", "time_unit"]
    search_fields = ["name", "procedure__code"]
    inlines = [DocumentInline]
    autocomplete_fields = ["procedure"]

    def procedure_code(self, obj):
        return obj.procedure.code

    def has_module_permission(self, request):
        return False


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(FormTemplate)
class FormTemplateAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
