from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Level


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search procedures"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. birth registration")}),
    )
    field = forms.SlugField(required=False, max_length=120)
    level = forms.ChoiceField(required=False, choices=[("", "")] + list(Level.choices))
    agency = forms.CharField(required=False, max_length=40)
