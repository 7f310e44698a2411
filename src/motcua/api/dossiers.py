"""Dossier API for national portals, LGSP integration and operations centres. Same permissions as the UI."""

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from motcua.accounts.models import Agency
from motcua.catalogue.models import Channel, Procedure, ProcedureCase
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, Event, Status
from motcua.dossiers.permissions import readable_note, sees_internal_notes, visible_to


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_full_name", default="", read_only=True)
    step = serializers.CharField(source="step.name", default="", read_only=True)

    class Meta:
        model = Event
        fields = [
            "at",
            "action",
            "from_status",
            "to_status",
            "actor",
            "step",
            "step_due_at",
            "timeliness",
            "note",
        ]

    def to_representation(self, event):
        """Internal notes (hand-overs, send-backs, coordination) only for the agencies working on the
        dossier: the retrieve view says so in the context; without it they are left out."""
        data = super().to_representation(event)
        data["note"] = readable_note(event, internal=self.context.get("internal_notes", False))
        return data


class DossierSerializer(serializers.ModelSerializer):
    procedure = serializers.SlugRelatedField(slug_field="code", read_only=True)
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Dossier
        fields = [
            "code",
            "procedure",
            "agency",
            "channel",
            "status",
            "status_label",
            "applicant_name",
            "submitted_at",
            "received_at",
            "due_at",
            "processing_ended_at",
            "returned_at",
            "supplement_requests",
        ]


class DossierDetailSerializer(DossierSerializer):
    timeline = EventSerializer(many=True, read_only=True, source="events")

    class Meta(DossierSerializer.Meta):
        fields = DossierSerializer.Meta.fields + ["due_explanation", "timeline"]


_moment = serializers.DateTimeField()  # DRF's own format and time zone, as the serializers write times


def _time(value):
    return None if value is None else _moment.to_representation(value)


def receipt(dossier: Dossier, *, internal: bool) -> dict:
    """The answer to a push: what DossierDetailSerializer writes for the dossier, its timeline the
    events intake wrote, built from memory. A serializer builds its fields anew on every request,
    which cost a push more than its queries; a test holds the two answers equal."""
    return {
        "code": dossier.code,
        "procedure": dossier.procedure.code,
        "agency": dossier.agency.code,
        "channel": dossier.channel,
        "status": dossier.status,
        "status_label": dossier.get_status_display(),
        "applicant_name": dossier.applicant_name,
        "submitted_at": _time(dossier.submitted_at),
        "received_at": _time(dossier.received_at),
        "due_at": _time(dossier.due_at),
        "processing_ended_at": _time(dossier.processing_ended_at),
        "returned_at": _time(dossier.returned_at),
        "supplement_requests": dossier.supplement_requests,
        "due_explanation": dossier.due_explanation,
        "timeline": [
            {
                "at": _time(event.at),
                "action": event.action,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "actor": event.actor.get_full_name() if event.actor else "",
                "step": event.step.name if event.step else "",
                "step_due_at": _time(event.step_due_at),
                "timeliness": event.timeliness,
                "note": readable_note(event, internal=internal),
            }
            for event in dossier.written_events
        ],
    }


class DossierCreateSerializer(serializers.Serializer):
    """A dossier pushed by a national portal: it arrives as submitted online (status 1)."""

    procedure = serializers.CharField(help_text="Procedure code, e.g. 1.001193")
    agency = serializers.CharField(help_text="Code of the competent agency")
    applicant_name = serializers.CharField(max_length=200)
    applicant_id_number = serializers.RegexField(r"^\d{12}$")
    applicant_phone = serializers.CharField(max_length=20, required=False, default="")
    applicant_email = serializers.EmailField(required=False, default="")
    applicant_address = serializers.CharField(max_length=300, required=False, default="")
    form_data = serializers.DictField(required=False, default=dict)


MAX_BATCH = 100  # dossiers in one push


def default_cases(codes: set[str]) -> dict[str, ProcedureCase]:
    """{procedure code: the case a pushed dossier is filed under (the first current one)}, each with
    its procedure, in one query: only what intake reads, the catalogue's long texts stay unread. A
    procedure without a case gets its blank one, as `services.submit` would give it."""
    cases: dict[str, ProcedureCase] = {}
    case_fields = [field.name for field in ProcedureCase._meta.concrete_fields]
    joined = ProcedureCase.objects.select_related("procedure")
    joined = joined.only(*case_fields, "procedure__code", "procedure__version")
    for case in joined.filter(procedure__code__in=codes):  # in the cases' order: the first wins
        cases.setdefault(case.procedure.code, case)
    if caseless := codes - cases.keys():
        for procedure in Procedure.objects.only("code", "version").filter(code__in=caseless):
            cases[procedure.code] = services.default_case(procedure)
    return cases


def agencies_by_code(codes: set[str], user) -> dict:
    """{code: active agency} of the codes: an official's own agency (read with their token) costs
    no query."""
    own = user.agency if user.agency_id else None
    found = [own] if own and codes == {own.code} else Agency.objects.filter(code__in=codes)
    return {agency.code: agency for agency in found if agency.is_active()}


FILTERS = [
    OpenApiParameter("agency", OpenApiTypes.STR, description="Agency code (within what you may see)."),
    OpenApiParameter(
        "status", OpenApiTypes.INT, enum=list(Status.values), description="National status code."
    ),
    OpenApiParameter("procedure", OpenApiTypes.STR, description="Procedure code."),
]


@extend_schema_view(list=extend_schema(parameters=FILTERS))
class DossierViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated]
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"

    def get_queryset(self):
        dossiers = visible_to(self.request.user).select_related("procedure", "agency")
        if self.action == "retrieve":
            return dossiers.prefetch_related("events__actor", "events__step")
        params = self.request.query_params
        if params.get("agency"):
            dossiers = dossiers.filter(agency__code=params["agency"])
        if params.get("status"):
            if not params["status"].isdigit():
                raise ApiValidationError({"status": "A national status code, 1 to 10."})
            dossiers = dossiers.filter(status=int(params["status"]))
        if params.get("procedure"):
            dossiers = dossiers.filter(procedure__code=params["procedure"])
        return dossiers.order_by("-submitted_at", "-pk")

    def retrieve(self, request, *args, **kwargs):
        dossier = self.get_object()
        context = self.get_serializer_context()
        context["internal_notes"] = sees_internal_notes(request.user, dossier)
        return Response(DossierDetailSerializer(dossier, context=context).data)

    def get_serializer_class(self):
        return {"retrieve": DossierDetailSerializer, "create": DossierCreateSerializer}.get(
            self.action, DossierSerializer
        )

    @extend_schema(
        request=DossierCreateSerializer,
        responses={201: DossierDetailSerializer},
        description=(
            f"Push one dossier, or a JSON array of up to {MAX_BATCH} (a batch, answered with an array in "
            "the same order): a batch is received in one transaction, all of it or none."
        ),
    )
    def create(self, request):
        batch = isinstance(request.data, list)
        incoming = (
            DossierCreateSerializer(data=request.data, many=True, min_length=1, max_length=MAX_BATCH)
            if batch
            else DossierCreateSerializer(data=request.data)
        )
        incoming.is_valid(raise_exception=True)
        rows = [dict(row) for row in (incoming.validated_data if batch else [incoming.validated_data])]
        cases = default_cases({row["procedure"] for row in rows})
        agencies = agencies_by_code({row["agency"] for row in rows}, request.user)
        if any(row["procedure"] not in cases or row["agency"] not in agencies for row in rows):
            raise NotFound("Unknown procedure or agency code.")
        user = request.user
        for agency in agencies.values():
            if not (user.role == "system_admin" or (user.is_official and user.agency_id == agency.pk)):
                raise ApiPermissionDenied("You may only push dossiers to your own agency.")
        applications = [
            services.Application(
                procedure=cases[row["procedure"]].procedure,
                case=cases[row.pop("procedure")],
                agency=agencies[row.pop("agency")],
                channel=Channel.ONLINE,
                **row,
            )
            for row in rows
        ]
        try:
            dossiers = services.submit_many(applications, by=user, pushed=True)
        except (PermissionDenied, ValidationError) as exc:
            raise ApiValidationError({"detail": getattr(exc, "messages", [str(exc)])}) from exc
        # The answer is what intake just wrote, as it is in memory (the dossiers, their procedures and
        # agencies, their events): nothing is read back. Whether the pusher reads internal notes is the
        # same for the whole batch: an official pushes only to their own agency (so handles every new
        # dossier), a system administrator handles none, and a new dossier has no coordination yet.
        internal = sees_internal_notes(user, dossiers[0])
        answers = [receipt(dossier, internal=internal) for dossier in dossiers]
        return Response(answers if batch else answers[0], status=status.HTTP_201_CREATED)
