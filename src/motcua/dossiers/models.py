"""Dossiers (hồ sơ) under the one-stop rules: national status codes, timestamps, pauses, the Form 06
timeline of hand-overs, attachments, ratings and feedback. Transitions live in `services/`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import Channel, TimeUnit


class Status(models.IntegerChoices):
    """The national status codes 1-10 (sync with the National Portal, Decision 766)."""

    SUBMITTED = 1, _("Submitted, not yet received")
    RECEIVED = 2, _("Received")
    NOT_ACCEPTED = 3, _("Not accepted")
    PROCESSING = 4, _("In processing")
    SUPPLEMENT = 5, _("Awaiting supplement")
    FINANCIAL = 6, _("Awaiting payment")
    WITHDRAWN = 7, _("Withdrawn by the applicant")
    STOPPED = 8, _("Processing stopped")
    PROCESSED = 9, _("Processed, result ready")
    RETURNED = 10, _("Result returned")


OPEN_STATUSES = (Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT, Status.FINANCIAL)
CLOCK_RUNNING = (Status.RECEIVED, Status.PROCESSING)
FINAL_STATUSES = (Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED)


class Digitisation(models.IntegerChoices):
    """TRANGTHAISOHOA: whether the dossier's components exist as electronic copies (Decision 766 group 4)."""

    NONE = 0, _("Not digitised")
    DIGITISED = 1, _("Digitised")
    REUSED = 2, _("Reused")
    REUSED_RESULT = 3, _("Reused from another dossier's result")


class ReturnMethod(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    POST = "post", _("By public post")
    ONLINE = "online", _("Online")


class DayOff(models.Model):
    """The agency-editable calendar on top of the public holidays: extra days off, compensatory
    working days. `agency` empty means province-wide."""

    agency = models.ForeignKey(
        "accounts.Agency", models.CASCADE, null=True, blank=True, related_name="days_off"
    )
    day = models.DateField(_("date"))
    working = models.BooleanField(
        _("working day"),
        default=False,
        help_text=_("Ticked: a compensatory working day. Unticked: a day off."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="one_exception_per_agency_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.note}"


class WorkflowStep(models.Model):
    """One step of a procedure case's workflow: who handles it and how many working hours it may take."""

    case = models.ForeignKey("catalogue.ProcedureCase", models.CASCADE, related_name="workflow")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=20)
    hours = models.DecimalField(_("budget (working hours)"), max_digits=7, decimal_places=2)

    class Meta:
        ordering = ["case", "order"]
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")
        constraints = [models.UniqueConstraint(fields=["case", "order"], name="one_step_per_position")]

    def __str__(self) -> str:
        return self.name


class DaySequence(models.Model):
    """The last dossier number issued by an agency on a day; incremented atomically in the database."""

    agency = models.ForeignKey("accounts.Agency", models.CASCADE)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="one_sequence_per_agency_day")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day} #{self.last}"


class Dossier(models.Model):
    code = models.CharField(_("dossier code"), max_length=60, unique=True)
    procedure = models.ForeignKey(
        "catalogue.Procedure", models.PROTECT, related_name="dossiers", verbose_name=_("procedure")
    )
    # PROTECT: a catalogue change never reaches into a dossier (re-imports update cases in place).
    case = models.ForeignKey(
        "catalogue.ProcedureCase", models.PROTECT, null=True, blank=True, verbose_name=_("procedure case")
    )
    procedure_version = models.PositiveIntegerField(
        _("catalogue version received under"), null=True, blank=True
    )
    agency = models.ForeignKey(
        "accounts.Agency", models.PROTECT, related_name="dossiers", verbose_name=_("competent agency")
    )
    # The unit handling it now: the competent agency, or one it was transferred to (boundary-free reception).
    unit = models.ForeignKey(
        "accounts.Agency", models.PROTECT, related_name="handled_dossiers", verbose_name=_("handling unit")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.PositiveSmallIntegerField(_("status"), choices=Status.choices, default=Status.SUBMITTED)
    previous_status = models.PositiveSmallIntegerField(
        _("previous status"), choices=Status.choices, null=True, blank=True
    )
    # Applicant. `applicant` is the citizen's account when there is one (online, or linked at the counter).
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("applicant account"),
    )
    applicant_name = models.CharField(_("applicant"), max_length=200)
    applicant_id_number = models.CharField(_("personal ID number"), max_length=12)
    applicant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("e-mail"), blank=True)
    applicant_address = models.CharField(_("address"), max_length=300, blank=True)
    form_data = models.JSONField(_("application data"), default=dict, blank=True)
    # The time limit the dossier was received under: later catalogue edits never move its deadline.
    limit_value = models.DecimalField(_("time limit"), max_digits=8, decimal_places=2, null=True, blank=True)
    limit_unit = models.CharField(_("time unit"), max_length=20, choices=TimeUnit.choices, blank=True)
    same_day = models.BooleanField(_("same-day procedure"), default=False)
    # Timestamps the indicators need.
    submitted_at = models.DateTimeField(_("submitted"))
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    due_explanation = models.JSONField(_("how the due date was computed"), default=list, blank=True)
    processing_ended_at = models.DateTimeField(_("processing ended"), null=True, blank=True)
    returned_at = models.DateTimeField(_("result returned"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    digitisation = models.PositiveSmallIntegerField(
        _("digitisation"), choices=Digitisation.choices, default=Digitisation.NONE
    )
    supplement_requests = models.PositiveSmallIntegerField(_("supplementation requests"), default=0)
    supplement_due_at = models.DateTimeField(_("supplement due"), null=True, blank=True)
    # Where it is now.
    step = models.ForeignKey(
        WorkflowStep, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("current step")
    )
    step_started_at = models.DateTimeField(null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_dossiers",
        verbose_name=_("assigned to"),
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received by"),
    )
    # Result.
    result = models.FileField(_("result document"), upload_to="results/%Y/%m/", blank=True)
    result_sha256 = models.CharField(max_length=64, blank=True)
    result_signed_at = models.DateTimeField(_("result signed"), null=True, blank=True)
    # In the verification link and QR printed on the result: codes are sequential, so the code alone
    # would let anyone list who was issued what.
    verify_token = models.CharField(max_length=32, blank=True, editable=False)
    return_method = models.CharField(
        _("return method"), max_length=10, choices=ReturnMethod.choices, blank=True
    )
    overdue_warned_at = models.DateTimeField(null=True, blank=True)
    predicted_late = models.BooleanField(_("predicted late"), default=False)
    # Optimistic lock: every transition bumps it; a form carrying an older version is a conflict.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        indexes = [
            models.Index(fields=["agency", "status", "due_at"], name="dossier_queue"),
            models.Index(fields=["unit", "status", "due_at"], name="dossier_unit_queue"),
            # The work queues and their counts (queues.py) read only the unit's open and processed
            # dossiers, ~10% of them: this small index holds every column they filter and sort on, so
            # PostgreSQL counts them and picks a page's ids without reading the table (index-only).
            models.Index(
                fields=["unit", "status", "due_at"],
                include=["submitted_at", "step", "assignee", "id"],
                condition=Q(status__in=[*OPEN_STATUSES, Status.PROCESSED]),
                name="dossier_unit_open",
            ),
            models.Index(fields=["unit", "-submitted_at"], name="dossier_unit_recent"),
            models.Index(fields=["agency", "-submitted_at"], name="dossier_recent"),
            models.Index(fields=["assignee", "status"], name="dossier_assignee"),
            models.Index(fields=["applicant", "-submitted_at"], name="dossier_applicant"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def overdue(self) -> bool:
        """Past its due date with the clock running (the "overdue" queue's rule): no longer a forecast."""
        return self.status in CLOCK_RUNNING and self.due_at is not None and self.due_at < timezone.now()


class Pause(models.Model):
    """A stop of the clock: a supplementation request or a financial obligation, with its reason."""

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="pauses")
    kind = models.CharField(
        max_length=20,
        choices=[("supplement", _("Supplementation")), ("financial", _("Financial obligation"))],
    )
    reason = models.TextField(_("reason"))
    items = models.JSONField(_("items requested"), default=list, blank=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="pause_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.kind} {self.started_at:%Y-%m-%d}"


class Coordination(models.Model):
    """Phối hợp: another agency's opinion or action requested for the dossier, with its own time budget
    (criterion 2 scores each agency's time, coordinating ones included)."""

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="coordinations")
    agency = models.ForeignKey(
        "accounts.Agency", models.PROTECT, related_name="coordinations", verbose_name=_("coordinating agency")
    )
    question = models.TextField(_("what is asked"))
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    due_at = models.DateTimeField(_("answer due"))
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["requested_at"]
        indexes = [models.Index(fields=["agency", "answered_at"], name="coordination_open")]

    def __str__(self) -> str:
        return f"{self.dossier_id} → {self.agency_id}"


class Apology(models.Model):
    """Form 04: an apology and extension request, drafted (by an official or the overdue scan) and
    approved by a leader before it is sent and the deadline moves."""

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="apologies")
    reason = models.TextField(_("reason for the delay"))
    extra_value = models.DecimalField(_("extension"), max_digits=6, decimal_places=2)
    extra_unit = models.CharField(
        _("unit"), max_length=20, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    drafted_at = models.DateTimeField()
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    previous_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["drafted_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id} +{self.extra_value} {self.extra_unit}"


# What a history line says when its action leaves the status as it was (a status change is named by
# the status it reaches): a rating after the return is no second "result returned".
ACTION_NAMES = {
    "forward": _("Forwarded"),
    "transfer": _("Transferred"),
    "attach_result": _("Result attached"),
    "send_back": _("Sent back for rework"),
    "request_coordination": _("Coordination requested"),
    "answer_coordination": _("Coordination answered"),
    "draft_apology": _("Apology and extension drafted"),
    "approve_apology": _("Apology and extension approved"),
    "rate": _("Service rated by the applicant"),
}


class Event(models.Model):
    """One line of the dossier's history: the Form 06 process-control timeline."""

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="events")
    at = models.DateTimeField(db_index=True)
    action = models.CharField(max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.PositiveSmallIntegerField(choices=Status.choices, null=True, blank=True)
    to_status = models.PositiveSmallIntegerField(choices=Status.choices, null=True, blank=True)
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    receiver_agency = models.ForeignKey(
        "accounts.Agency", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    step = models.ForeignKey(WorkflowStep, models.SET_NULL, null=True, blank=True, related_name="+")
    step_due_at = models.DateTimeField(null=True, blank=True)
    timeliness = models.CharField(
        max_length=10, blank=True
    )  # early / on_time / late for the step handed over
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    @property
    def label(self) -> str:
        if self.to_status is None or (self.to_status == self.from_status and self.action in ACTION_NAMES):
            return str(ACTION_NAMES.get(self.action, self.action))
        return self.get_to_status_display()


class AttachmentKind(models.TextChoices):
    COMPONENT = "component", _("Dossier component")
    SUPPLEMENT = "supplement", _("Supplement")
    RESULT = "result", _("Result")
    FORM = "form", _("Issued form")


class Attachment(models.Model):
    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "catalogue.RequiredDocument",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("required document"),
    )
    kind = models.CharField(max_length=12, choices=AttachmentKind.choices, default=AttachmentKind.COMPONENT)
    file = models.FileField(upload_to="dossiers/%Y/%m/")
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Rating(models.Model):
    """The citizen's satisfaction after the result (criteria 10 and 11: 2 very satisfied .. 0 not)."""

    SCORES = [(2, _("Very satisfied")), (1, _("Satisfied")), (0, _("Not satisfied"))]
    dossier = models.OneToOneField(Dossier, models.CASCADE, related_name="rating")
    convenience = models.PositiveSmallIntegerField(_("convenience of the service"), choices=SCORES)
    overall = models.PositiveSmallIntegerField(_("overall assessment"), choices=SCORES)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.convenience}/{self.overall}"
