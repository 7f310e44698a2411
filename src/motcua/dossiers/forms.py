from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Agency, Role, User

from .models import Rating, ReturnMethod


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ApplicantForm(forms.Form):
    applicant_name = forms.CharField(label=_("Full name"), max_length=200)
    applicant_id_number = forms.RegexField(
        label=_("Personal ID number"),
        regex=r"^\d{12}$",
        max_length=12,
        error_messages={"invalid": _("Enter the 12 digits of the ID number.")},
    )
    applicant_phone = forms.RegexField(
        label=_("Phone"), regex=r"^\+?\d[\d .-]{7,18}$", required=False, max_length=20
    )
    applicant_email = forms.EmailField(label=_("E-mail"), required=False)
    applicant_address = forms.CharField(label=_("Address"), max_length=300, required=False)
    agency = forms.ModelChoiceField(label=_("Submit to"), queryset=Agency.objects.none())
    notes = forms.CharField(
        label=_("Notes for the officer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args, procedure, documents, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = (
            procedure.agencies.active_on() if procedure.agencies.exists() else Agency.objects.active_on()
        )
        self.fields["agency"].queryset = agencies
        self.fields["agency"].label_from_instance = lambda agency: agency.tr("name")
        if agencies.count() == 1:
            self.initial.setdefault("agency", agencies.first())
        self.documents = documents
        for document in documents:
            self.fields[f"doc_{document.pk}"] = MultipleFileField(
                label=document.name,
                required=False,
                help_text=_("PDF, JPEG, PNG or DOCX"),
                widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx"}),
            )

    def document_fields(self):
        return [(document, self[f"doc_{document.pk}"]) for document in self.documents]

    def files_by_document(self):
        return [
            (document, upload)
            for document in self.documents
            for upload in self.cleaned_data.get(f"doc_{document.pk}") or []
        ]


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReasonForm(VersionForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class NoteForm(VersionForm):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )


class Final(forms.Form):
    """An action that ends the dossier (refuse, withdraw, stop): it asks to be confirmed on the page
    itself, so that it works without JavaScript and cannot be clicked by mistake."""

    field_order = ["version", "reason", "note", "confirm"]  # the box last, beside the button
    confirm = forms.BooleanField(
        label=_("I understand that this ends the dossier and cannot be undone."),
        error_messages={"required": _("Tick the box to confirm: this action cannot be undone.")},
    )


class FinalReasonForm(ReasonForm, Final):
    pass


class FinalNoteForm(NoteForm, Final):
    pass


class ForwardForm(NoteForm):
    to = forms.ModelChoiceField(
        label=_("To"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Anyone in the unit with that role"),
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["to"].queryset = candidates
        self.fields["to"].label_from_instance = lambda user: user.get_full_name() or user.username


class TransferForm(ForwardForm):
    unit = forms.ModelChoiceField(
        label=_("Or to another unit"), queryset=Agency.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Agency.objects.active_on()


class SupplementRequestForm(VersionForm):
    reason = forms.CharField(
        label=_("General reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.documents = list(documents)
        for document in self.documents:
            self.fields[f"need_{document.pk}"] = forms.BooleanField(label=document.name, required=False)
            self.fields[f"why_{document.pk}"] = forms.CharField(
                label=_("Reason"), required=False, max_length=500
            )

    def rows(self):
        return [
            (document, self[f"need_{document.pk}"], self[f"why_{document.pk}"]) for document in self.documents
        ]

    def items(self):
        chosen = []
        for document in self.documents:
            if self.cleaned_data.get(f"need_{document.pk}"):
                chosen.append(
                    {
                        "document_id": document.pk,
                        "document": document.name,
                        "originals": document.originals,
                        "copies": document.copies,
                        "reason": self.cleaned_data.get(f"why_{document.pk}", "").strip(),
                    }
                )
        return chosen


class SupplementForm(VersionForm):
    files = MultipleFileField(
        label=_("Documents"), widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx"})
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResultForm(VersionForm):
    file = forms.FileField(
        label=_("Result document (PDF)"),
        required=False,
        help_text=_("Leave empty to generate the standard result document."),
    )


class ReturnForm(VersionForm):
    method = forms.ChoiceField(label=_("Return"), choices=ReturnMethod.choices)


class ApologyForm(VersionForm):
    reason = forms.CharField(
        label=_("Reason for the delay"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    extra_days = forms.IntegerField(label=_("Extension (working days)"), min_value=1, max_value=60, initial=3)


class CoordinationForm(VersionForm):
    agency = forms.ModelChoiceField(label=_("Coordinating agency"), queryset=Agency.objects.none())
    question = forms.CharField(
        label=_("What is asked"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    hours = forms.IntegerField(
        label=_("Time allowed (working hours)"), min_value=1, max_value=400, initial=16
    )

    def __init__(self, *args, exclude=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.active_on().exclude(pk__in=exclude)
        self.fields["agency"].label_from_instance = lambda agency: agency.tr("name")


class AnswerForm(forms.Form):
    coordination = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(label=_("Answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class RatingForm(forms.Form):
    convenience = forms.TypedChoiceField(
        label=_("How convenient was the service?"),
        choices=Rating.SCORES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    overall = forms.TypedChoiceField(
        label=_("Overall, how satisfied are you?"),
        choices=Rating.SCORES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Dossier code"), max_length=60)
    id_number = forms.RegexField(
        label=_("Personal ID number of the applicant"),
        regex=r"^\d{12}$",
        max_length=12,
        error_messages={"invalid": _("Enter the 12 digits of the ID number.")},
    )


class VerifyForm(forms.Form):
    file = forms.FileField(label=_("The result PDF you received"))


QUEUE_ROLES = {Role.RECEPTION, Role.PROCESSING, Role.LEADER, Role.AGENCY_ADMIN}
