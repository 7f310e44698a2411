"""Read-only catalogue API: thin views over `catalogue.services`."""

from django.db.models import Count
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny

from motcua.catalogue import services
from motcua.catalogue.models import Field, Level, Procedure

from .serializers import FieldSerializer, ProcedureSerializer, ProcedureSummarySerializer

FILTERS = [
    OpenApiParameter("field", OpenApiTypes.STR, description="Field code (lĩnh vực)."),
    OpenApiParameter("level", OpenApiTypes.STR, enum=[c for c, _ in Level.choices], description="Level."),
    OpenApiParameter("agency", OpenApiTypes.STR, description="Code of an agency that carries it out."),
]
QUERY = OpenApiParameter(
    "q", OpenApiTypes.STR, required=True, description="Free text, with or without Vietnamese diacritics."
)


@extend_schema_view(list=extend_schema(parameters=FILTERS))
class ProcedureViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]  # the public catalogue
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"

    def get_queryset(self):
        if self.action == "retrieve":
            return Procedure.objects.select_related("field").prefetch_related(
                "channels__fees", "cases__documents__form", "agencies"
            )
        params = self.request.query_params
        return services.find(
            "", field=params.get("field", ""), level=params.get("level", ""), agency=params.get("agency", "")
        ).order_by("code")

    def get_serializer_class(self):
        return ProcedureSerializer if self.action == "retrieve" else ProcedureSummarySerializer

    @extend_schema(parameters=[QUERY, *FILTERS], responses=ProcedureSummarySerializer(many=True))
    @action(detail=False)
    def search(self, request):
        """Procedures ranked by relevance to `q`, best first."""
        text = request.query_params.get("q", "").strip()
        if not text:
            raise ValidationError({"q": "Give a search text."})
        params = request.query_params
        results = services.find(
            text,
            field=params.get("field", ""),
            level=params.get("level", ""),
            agency=params.get("agency", ""),
        )
        page = self.paginate_queryset(results)
        return self.get_paginated_response(ProcedureSummarySerializer(page, many=True).data)


class FieldViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    serializer_class = FieldSerializer
    lookup_field = "code"
    pagination_class = None

    def get_queryset(self):
        return Field.objects.annotate(n=Count("procedures")).order_by("name")
