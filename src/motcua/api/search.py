"""GET /api/search: the knowledge search with the same contract as the officials' page."""

import datetime

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.knowledge import services
from motcua.knowledge.models import SourceKind

RESULT_FIELDS = {
    "id": serializers.CharField(),
    "source_kind": serializers.CharField(),
    "source": serializers.CharField(),
    "title_path": serializers.ListField(child=serializers.CharField()),
    "citation": serializers.CharField(),
    "text": serializers.CharField(),
    "score": serializers.FloatField(),
}


class SearchView(APIView):
    permission_classes = [AllowAny]  # public sources for everyone; access level by the reader

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q", OpenApiTypes.STR, required=True, description="Question or keywords, any language."
            ),
            OpenApiParameter(
                "kind", OpenApiTypes.STR, enum=list(SourceKind.values), description="Source kind."
            ),
            OpenApiParameter(
                "on", OpenApiTypes.DATE, description="Only sources in force on this date (default today)."
            ),
            OpenApiParameter("k", OpenApiTypes.INT, description="How many results (1-50, default 10)."),
            OpenApiParameter("mode", OpenApiTypes.STR, enum=["hybrid", "bm25", "dense"]),
        ],
        responses=inline_serializer(
            "SearchResponse",
            {
                "results": inline_serializer("SearchResult", RESULT_FIELDS, many=True),
                "took_ms": serializers.FloatField(),
            },
        ),
    )
    def get(self, request):
        params = request.query_params
        text = params.get("q", "").strip()
        if not text:
            raise ValidationError({"q": "Give a search text."})
        try:
            k = min(max(int(params.get("k", 10)), 1), 50)
            on = datetime.date.fromisoformat(params["on"]) if params.get("on") else None
        except ValueError as exc:
            raise ValidationError({"detail": str(exc)}) from exc
        mode = params.get("mode", "hybrid")
        if mode not in ("hybrid", "bm25", "dense") or (
            params.get("kind") and params["kind"] not in SourceKind.values
        ):
            raise ValidationError({"detail": "Unknown mode or kind."})
        results, took = services.retrieve(
            text,
            access_level=services.access_level_for(request.user),
            k=k,
            mode=mode,
            in_force_on=on,
            source_kinds=(params["kind"],) if params.get("kind") else (),
        )
        return Response(
            {
                "took_ms": round(took, 1),
                "results": [
                    {
                        "id": r.chunk.key,
                        "source_kind": r.chunk.source.kind,
                        "source": r.chunk.source.key,
                        "title_path": r.chunk.title_path,
                        "citation": r.citation,
                        "text": r.chunk.text,
                        "score": r.score,
                    }
                    for r in results
                ],
            }
        )
