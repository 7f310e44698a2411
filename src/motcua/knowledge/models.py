"""Sources (procedures, legal documents, official documents, transcripts) and their chunks.

The database is the source of truth. A chunk whose `indexed_hash` differs from its `content_hash` is
waiting for the index (the outbox): the indexing task picks such chunks up in batches, so a crash
between the database write and the index write is repaired by the next run. Deleted chunks leave a
`Tombstone` for the same reason.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    PROCEDURE = "procedure", _("Procedure")
    LEGAL = "legal", _("Legal document")
    DOCUMENT = "document", _("Official document")
    TRANSCRIPT = "transcript", _("Meeting transcript")


class Access(models.IntegerChoices):
    PUBLIC = 0, _("Public")
    OFFICIALS = 1, _("Officials")
    RESTRICTED = 2, _("Restricted")


class Source(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    key = models.CharField(_("key"), max_length=200, unique=True)  # e.g. "legal:68/2020/QH14"
    title = models.TextField(_("title"))
    number = models.CharField(_("number and symbol"), max_length=100, blank=True)
    doc_type = models.CharField(_("type"), max_length=60, blank=True)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued"), null=True, blank=True)
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, blank=True)
    replaces = models.JSONField(_("replaces"), default=list, blank=True)
    amended_by = models.JSONField(_("amended by"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=5, default="vi")
    agency = models.ForeignKey("accounts.Agency", models.SET_NULL, null=True, blank=True, related_name="+")
    access_level = models.PositiveSmallIntegerField(
        _("access"), choices=Access.choices, default=Access.PUBLIC
    )
    problems = models.JSONField(_("import problems"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("knowledge source")
        verbose_name_plural = _("knowledge sources")

    def __str__(self) -> str:
        return self.title


class ChunkQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(~Q(indexed_hash=F("content_hash")))


class Chunk(models.Model):
    source = models.ForeignKey(Source, models.CASCADE, related_name="chunks")
    key = models.CharField(max_length=250, unique=True)  # e.g. "legal:68/2020/QH14:12:1"
    ordinal = models.PositiveIntegerField(default=0)
    title_path = models.JSONField(default=list, blank=True)  # ["Chương II ...", "Điều 12. ..."]
    text = models.TextField()
    citation = models.CharField(
        max_length=500, blank=True
    )  # "Điều 12, Luật Cư trú 68/2020/QH14, hiệu lực ..."
    anchor = models.CharField(max_length=200, blank=True)  # link target within the source (article, section)
    content_hash = models.CharField(max_length=64)
    indexed_hash = models.CharField(max_length=64, blank=True)

    objects = ChunkQuerySet.as_manager()

    class Meta:
        ordering = ["source", "ordinal"]

    def __str__(self) -> str:
        return self.key


class Tombstone(models.Model):
    """A chunk removed from the database that the index may still hold."""

    key = models.CharField(max_length=250, unique=True)

    def __str__(self) -> str:
        return self.key


class EmbeddingCache(models.Model):
    """Passage vectors by hash of (model, text): a re-index does not recompute unchanged chunks."""

    key = models.CharField(max_length=64, primary_key=True)
    vector = models.BinaryField()

    def __str__(self) -> str:
        return self.key
