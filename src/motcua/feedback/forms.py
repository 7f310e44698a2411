from django import forms
from django.utils.translation import gettext_lazy as _


class FeedbackForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    dossier_code = forms.CharField(label=_("Dossier code (if any)"), max_length=60, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Your feedback or petition"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )
