from django.contrib import admin

from .models import Chunk, Source


class ChunkInline(admin.StackedInline):
    model = Chunk
    extra = 0
    fields = ["key", "title_path", "citation", "text"]
    readonly_fields = fields
    can_delete = False


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "number", "valid_from", "valid_to", "access_level", "updated_at"]
    list_filter = ["kind", "access_level", "status"]
    search_fields = ["title", "number", "key"]
    inlines = [ChunkInline]
    readonly_fields = ["key", "problems"]
