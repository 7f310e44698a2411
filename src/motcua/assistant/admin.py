from django.contrib import admin

from .models import Conversation, Message


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    fields = ("question", "language", "mode", "declined", "reason", "latency_ms", "rating", "comment")
    readonly_fields = fields
    can_delete = False


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("pk", "title", "user", "created_at", "handed_over")
    inlines = [MessageInline]
    search_fields = ("title",)


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("question", "language", "mode", "declined", "latency_ms", "rating", "created_at")
    list_filter = ("language", "mode", "declined", "rating")
    search_fields = ("question", "comment")
    readonly_fields = ("evidence", "answer")
