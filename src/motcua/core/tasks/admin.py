"""The worker in the admin: dead letters (retry or dismiss), periodic jobs (last successful run, run
now) and live workers."""

from __future__ import annotations

from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import recovery
from .models import DeadLetter, ScheduledJob, WorkerHeartbeat


class OpenFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("yes", _("open")), ("no", _("resolved"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(resolved_at__isnull=True)
        if self.value() == "no":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


@admin.register(DeadLetter)
class DeadLetterAdmin(admin.ModelAdmin):
    list_display = ["created_at", "task_path", "reason", "attempts", "error", "resolved_at", "resolution"]
    list_filter = [OpenFilter, "reason", "task_path"]
    readonly_fields = ["task_result", *[f.name for f in DeadLetter._meta.fields if f.name != "result"]]
    exclude = ["result"]
    actions = ["retry", "dismiss"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("task result"))
    def task_result(self, letter):
        url = reverse("admin:django_tasks_database_dbtaskresult_change", args=[letter.result_id])
        return format_html('<a href="{}">{}</a>', url, letter.result_id)

    @admin.action(description=_("Retry the selected tasks"), permissions=["change"])
    def retry(self, request, queryset):
        count = recovery.retry_dead_letters(queryset)
        self.message_user(
            request,
            ngettext("%(count)d task is queued again.", "%(count)d tasks are queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Dismiss the selected dead letters"), permissions=["change"])
    def dismiss(self, request, queryset):
        count = recovery.dismiss_dead_letters(queryset)
        self.message_user(
            request,
            ngettext("%(count)d dead letter dismissed.", "%(count)d dead letters dismissed.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "interval_seconds",
        "last_success_at",
        "next_run_at",
        "last_enqueued_at",
        "last_failure_at",
        "last_error",
    ]
    readonly_fields = [f.name for f in ScheduledJob._meta.fields]
    actions = ["run_now"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Run the selected jobs at the next tick"), permissions=["change"])
    def run_now(self, request, queryset):
        count = queryset.update(next_run_at=timezone.now())
        self.message_user(
            request,
            ngettext(
                "%(count)d job will run at the next tick.", "%(count)d jobs will run at the next tick.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["worker_id", "host", "pid", "started_at", "last_seen"]
    readonly_fields = [f.name for f in WorkerHeartbeat._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
