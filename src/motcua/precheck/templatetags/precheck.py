"""`{% precheck_panel dossier %}` on the dossier page: the officer's checklist, or the applicant's
list of missing items; `{% precheck_try_button procedure counter %}` on the submission form. The dossier
app's templates only load them."""

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


@register.inclusion_tag("precheck/_try_button.html")
def precheck_try_button(procedure, counter=False):
    return {"procedure": procedure, "counter": counter}
