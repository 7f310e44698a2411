from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.core import throttle

from . import services
from .forms import FeedbackForm

LIMIT = 5  # feedback forms per address (and account) per 10 minutes


@require_http_methods(["GET", "POST"])
def feedback(request):
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not throttle.allow_request("feedback", request, limit=LIMIT, window=600):
            return render(request, "feedback/form.html", {"form": form, "limited": True}, status=429)
        services.file(sender=request.user, **form.cleaned_data)
        messages.success(request, _("Thank you. Your feedback was sent to the agency."))
        return redirect("feedback:form")
    return render(request, "feedback/form.html", {"form": form})
