"""The chat pages (citizen portal and officials' workspace alike): plain forms that work without
JavaScript (POST, then redirect to the answer); a small script shows a progress state meanwhile.
Every view reads only the conversations of the signed-in user or of this browser session."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core import throttle

from . import services
from .answer import Answer
from .models import Message


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=gettext_lazy("Your question"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(choices=[("1", "+1"), ("-1", "-1")], coerce=int)
    comment = forms.CharField(label=gettext_lazy("Comment (optional)"), max_length=1000, required=False)


class HandoverForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Full name"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=20, required=False)
    note = forms.CharField(
        label=gettext_lazy("What do you need help with?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("phone"):
            raise forms.ValidationError(
                _("Give an e-mail address or a phone number so an officer can reply.")
            )
        return data


def _conversation(request, pk):
    conversation = services.owned(request).filter(pk=pk).first()
    if conversation is None:
        raise Http404  # another person's conversation does not exist for this reader
    return conversation


def _rendered(message: Message) -> dict:
    answer = Answer.from_dict(message.answer)
    folded = [s for s in answer.statements if s.folded]
    return {"message": message, "answer": answer, "folded": folded, "rtl": message.language == "ar"}


@require_http_methods(["GET", "POST"])
def chat(request, pk: int | None = None):
    conversation = _conversation(request, pk) if pk else services.owned(request).first()
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not services.allow_question(request):
            context = {"form": form, "limited": True, "conversation": conversation, "items": []}
            return render(request, "assistant/chat.html", context, status=429)
        if conversation is None or conversation.handed_over_id:
            conversation = services.start(request)
        message = services.ask(
            conversation, form.cleaned_data["question"], user=request.user, keys=throttle.keys_for(request)
        )
        return redirect(reverse("assistant:conversation", args=[conversation.pk]) + f"#m{message.pk}")
    items = [_rendered(m) for m in conversation.messages.all()] if conversation else []
    return render(
        request,
        "assistant/chat.html",
        {
            "form": form,  # a valid POST has already redirected (or been refused) above
            "conversation": conversation,
            "items": items,
            "rating_form": RatingForm(),
        },
    )


@require_POST
def new(request):
    conversation = services.start(request)
    return redirect("assistant:conversation", pk=conversation.pk)


def history(request):
    return render(request, "assistant/history.html", {"conversations": services.owned(request)[:50]})


@require_POST
def rate(request, pk: int):
    message = get_object_or_404(Message.objects.select_related("conversation"), pk=pk)
    _conversation(request, message.conversation_id)  # 404 unless it is the reader's
    form = RatingForm(request.POST)
    if form.is_valid():
        message.rating, message.comment = form.cleaned_data["rating"], form.cleaned_data["comment"]
        message.save(update_fields=["rating", "comment"])
        messages.success(request, _("Thank you for your feedback."))
    return redirect(reverse("assistant:conversation", args=[message.conversation_id]) + f"#m{message.pk}")


@require_http_methods(["GET", "POST"])
def handover(request, pk: int):
    conversation = _conversation(request, pk)
    user = request.user
    initial = (
        {"name": user.get_full_name(), "email": user.email, "phone": user.phone}
        if user.is_authenticated
        else {}
    )
    form = HandoverForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ticket = services.hand_over(conversation, **form.cleaned_data)
        messages.success(
            request,
            _("Your conversation was passed to an officer as request no. %(n)s. They will reply to you.")
            % {"n": ticket.pk},
        )
        return redirect("assistant:conversation", pk=conversation.pk)
    return render(request, "assistant/handover.html", {"form": form, "conversation": conversation})
