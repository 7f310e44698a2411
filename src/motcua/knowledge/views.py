"""The officials' search page: one box over everything the reader may see."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import services
from .highlight import snippet
from .models import Chunk, SourceKind


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the knowledge base"), max_length=300, required=False)
    kind = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("All sources"))] + list(SourceKind.choices)
    )
    on = forms.DateField(
        label=_("In force on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@login_required
def search(request):
    form = SearchForm(request.GET or None)
    results, took = [], None
    if form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        found, took = services.retrieve(
            data["q"],
            access_level=services.access_level_for(request.user),
            source_kinds=(data["kind"],) if data["kind"] else (),
            in_force_on=data["on"] or timezone.localdate(),
            k=20,
        )
        results = [{"result": r, "snippet": snippet(r.chunk.text, data["q"])} for r in found]
    return render(
        request,
        "knowledge/search.html",
        {
            "form": form,
            "results": results,
            "took": took,
            "today": datetime.date.today(),
            # Indexing runs in the worker in batches; until it is done, new text is not found yet.
            "pending": Chunk.objects.pending().count(),
        },
    )
