"""`{% precheck_panel dossier %}` on the dossier page: the officer's checklist, or the applicant's
list of missing items. The dossier app's template only includes it."""

from django import template

from motcua.dossiers.permissions import handles, is_applicant

from .. import services

register = template.Library()


@register.inclusion_tag("precheck/_panel.html", takes_context=True)
def precheck_panel(context, dossier):
    user = context["request"].user
    check = services.latest(dossier)
    official = handles(user, dossier)
    panel = {
        "dossier": dossier,
        "check": check,
        "official": official,
        "csrf_token": context.get("csrf_token"),
    }
    if check is None or check.status != "done":
        return panel | {"visible": official or is_applicant(user, dossier)}
    if official:
        return panel | {"visible": True, **services.checklist(check)}
    if is_applicant(user, dossier):
        return panel | {"visible": True, "items": services.citizen_items(check)}
    return panel | {"visible": False}
