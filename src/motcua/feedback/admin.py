from django.contrib import admin

from .models import Feedback


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["created_at", "subject", "name", "agency", "answered_at"]
    list_filter = ["agency"]
