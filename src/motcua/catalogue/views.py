"""The citizen portal: find a procedure and read everything needed to carry it out. Thin views."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from motcua.accounts.models import Agency
from motcua.core import qr

from . import services
from .forms import SearchForm
from .models import Field, FormTemplate, Level, Procedure, Source
from .pdf import blank_form_pdf

PAGE_SIZE = 20


@require_GET
def home(request):
    fields = Field.objects.annotate(n=Count("procedures")).filter(n__gt=0).order_by("-n", "name")
    featured = Procedure.objects.filter(source=Source.DEMO).select_related("field").order_by("code")[:8]
    return render(
        request,
        "catalogue/home.html",
        {
            "form": SearchForm(),
            "fields": fields[:24],
            "featured": featured,
            "levels": Level.choices,
        },
    )


@require_GET
def procedure_list(request):
    form = SearchForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    results = services.find(
        filters.get("q", ""),
        field=filters.get("field", ""),
        level=filters.get("level", ""),
        agency=filters.get("agency", ""),
    )
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalogue/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filters": filters,
            "field": Field.objects.filter(code=filters.get("field")).first()
            if filters.get("field")
            else None,
            "agency": Agency.objects.filter(code=filters.get("agency")).first()
            if filters.get("agency")
            else None,
            "level_label": dict(Level.choices).get(filters.get("level", "")),
            "fields": Field.objects.annotate(n=Count("procedures")).filter(n__gt=0).order_by("name"),
            "agencies": Agency.objects.active_on().annotate(n=Count("procedures")).filter(n__gt=0),
            "levels": Level.choices,
        },
    )


def _procedure(code: str) -> Procedure:
    return get_object_or_404(
        Procedure.objects.select_related("field").prefetch_related(
            "channels__fees", "cases__documents__form", "agencies"
        ),
        code=code,
    )


@require_GET
def procedure_detail(request, code: str):
    procedure = _procedure(code)
    return render(
        request,
        "catalogue/detail.html",
        {
            "procedure": procedure,
            "public_url": settings.SITE_URL + reverse("portal:procedure", args=[procedure.code]),
        },
    )


@require_GET
def procedure_qr(request, code: str):
    procedure = get_object_or_404(Procedure, code=code)
    url = settings.SITE_URL + reverse("portal:procedure", args=[procedure.code])
    return HttpResponse(qr.svg(url, scale=4, title=procedure.code), content_type="image/svg+xml")


@require_GET
def form_pdf(request, code: str):
    form = get_object_or_404(FormTemplate, code=code)
    response = HttpResponse(blank_form_pdf(form), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{form.code}.pdf"'
    return response
