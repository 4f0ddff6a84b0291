"""The public report form: open to anyone, so it shows nothing back but a reference.

Progress lives in the server-side session under the organisation's code; URLs carry only
the step's name. Works without JavaScript: every step is a plain form posted to itself.
"""

import secrets
import time

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Organisation

from ..services.online import online_report_submit
from . import steps, throttle

QUICK_EXIT_URL = "https://www.bbc.co.uk/weather"


def _organisation(code: str) -> Organisation:
    return get_object_or_404(Organisation, code=code.upper())


def _progress(request, organisation) -> dict:
    key = f"online-report:{organisation.code}"
    progress = request.session.get(key)
    if progress is None:
        progress = {"started": time.time(), "answers": {}, "done": []}
        request.session[key] = progress
    return progress


def _save(request, organisation, progress) -> None:
    request.session[f"online-report:{organisation.code}"] = progress


def _step_url(organisation, step) -> str:
    return reverse("online_report_step", args=[organisation.code, step.slug])


@never_cache
def start(request, code):
    organisation = _organisation(code)
    return render(request, "online/start.html", {"organisation": organisation})


@never_cache
@require_http_methods(["GET", "POST"])
def step(request, code, slug):
    organisation = _organisation(code)
    current = steps.BY_SLUG.get(slug)
    if current is None:
        raise Http404
    if current.slug == "send" and request.method == "POST":
        already = _already_sent(request, organisation)
        if already is not None:
            return already
    progress = _progress(request, organisation)
    answers = progress["answers"]
    if not current.applies(answers):
        return redirect(_step_url(organisation, steps.next_step(slug, answers)))
    missing = steps.first_unanswered(answers, progress["done"])
    if current.slug == "send" and missing is not None:
        return redirect(_step_url(organisation, missing))

    refusal = None
    if request.method == "POST":
        form = current.form_class(request.POST, request.FILES)
        if form.is_valid():
            if current.slug == "send":
                verdict = _spam_or_limit(request, organisation, form, progress)
                refusal = verdict.refusal
                if refusal is None:
                    return _submit(
                        request, organisation, progress, form, limit_unchecked=verdict.unchecked
                    )
            else:
                answers.update(form.answers())
                if current.slug not in progress["done"]:
                    progress["done"].append(current.slug)
                _save(request, organisation, progress)
                following = steps.next_step(current.slug, answers)
                return redirect(_step_url(organisation, following))
    else:
        initial = {
            name: answers[name] for name in current.form_class.base_fields if name in answers
        }
        if current.slug == "send":
            # A new key each time the send page is first shown for these answers.
            initial["submission_key"] = progress.setdefault(
                "submission_key", secrets.token_urlsafe(32)
            )
            _save(request, organisation, progress)
        form = current.form_class(initial=initial)

    back = steps.previous_step(current.slug, answers)
    applicable = steps.steps_for(answers)
    context = {
        "organisation": organisation,
        "form": form,
        "step": current,
        "refusal": refusal,
        "back_url": _step_url(organisation, back)
        if back
        else reverse("online_report_start", args=[organisation.code]),
        "step_number": [s.slug for s in applicable].index(current.slug) + 1,
        "step_count": len(applicable),
        "upload_limit_mb": settings.HAVEN_REPORT_UPLOAD_MAX_BYTES // (1024 * 1024),
    }
    status = 429 if refusal and refusal.startswith("You have sent") else 200
    if refusal and status != 429:
        status = 400
    if form.is_bound and form.errors:
        status = 400
    template = "online/safety.html" if current.slug == "safety" else "online/step.html"
    return render(request, template, context, status=status)


def _spam_or_limit(request, organisation, form, progress) -> throttle.Verdict:
    filled_too_fast = time.time() - progress["started"] < settings.HAVEN_REPORT_MIN_SECONDS
    if form.cleaned_data.get("website") or filled_too_fast:
        # Said plainly: a person caught by the trap needs to know what to do.
        return throttle.Verdict(
            refusal="Your report looks like it was sent automatically, so we have not sent "
            "it. Please wait a moment and press Send again, or phone us."
        )
    return throttle.verdict(request, organisation)


def _submit(request, organisation, progress, form, *, limit_unchecked: bool):
    report = online_report_submit(
        organisation=organisation,
        answers=progress["answers"],
        received_at=timezone.now(),
        upload=form.cleaned_data.get("upload"),
        submission_key=progress.get("submission_key"),
        limit_unchecked=limit_unchecked,
    )
    # Forget the answers at once: a shared phone keeps nothing but the reference.
    request.session.pop(f"online-report:{organisation.code}", None)
    request.session[f"online-report-sent:{organisation.code}"] = report.reference
    if progress.get("submission_key"):
        request.session[f"online-report-sent-key:{organisation.code}"] = progress["submission_key"]
    return redirect("online_report_sent", organisation.code)


def _already_sent(request, organisation):
    """Send pressed again after the report was saved (a double click): the same page again."""
    key = request.POST.get("submission_key")
    sent_key = request.session.get(f"online-report-sent-key:{organisation.code}")
    if key and key == sent_key:
        return redirect("online_report_sent", organisation.code)
    return None


@never_cache
def sent(request, code):
    organisation = _organisation(code)
    reference = request.session.get(f"online-report-sent:{organisation.code}")
    if reference is None:
        return redirect("online_report_start", organisation.code)
    return render(
        request, "online/sent.html", {"organisation": organisation, "reference": reference}
    )


@require_POST
def leave(request, code):
    """Quick exit: forget the answers and go somewhere unremarkable."""
    organisation = _organisation(code)
    request.session.pop(f"online-report:{organisation.code}", None)
    request.session.pop(f"online-report-sent:{organisation.code}", None)
    request.session.pop(f"online-report-sent-key:{organisation.code}", None)
    return HttpResponseRedirect(QUICK_EXIT_URL)


@never_cache
def privacy(request, code):
    organisation = _organisation(code)
    retention = getattr(settings, "HAVEN_PRIVACY_RETENTION", "")
    lines = import_string(retention)(organisation=organisation) if retention else []
    return render(
        request, "online/privacy.html", {"organisation": organisation, "retention_lines": lines}
    )
