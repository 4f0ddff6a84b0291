"""Reads for the requests pages, scoped to the user's organisation (managers and
organisation admins only: the views check the role)."""

from django.db.models import QuerySet, Value
from django.http import Http404
from django.urls import reverse

from .models import (
    RectificationRequest,
    RectificationStatus,
    SubjectAccessRequest,
    SubjectAccessStatus,
)


def subject_access_requests_for(*, access) -> QuerySet[SubjectAccessRequest]:
    return SubjectAccessRequest.objects.filter(organisation=access.organisation).select_related(
        "person", "recorded_by", "released_by"
    )


def subject_access_requests_open(*, access) -> QuerySet[SubjectAccessRequest]:
    # sar_open_org_due_idx
    return (
        subject_access_requests_for(access=access)
        .exclude(status=SubjectAccessStatus.RELEASED)
        .order_by("due_at", "id")
    )


def subject_access_request_get(*, access, pk: int) -> SubjectAccessRequest:
    try:
        return subject_access_requests_for(access=access).get(pk=pk)
    except SubjectAccessRequest.DoesNotExist as missing:
        raise Http404("No such request.") from missing


def rectification_requests_for(*, access) -> QuerySet[RectificationRequest]:
    return RectificationRequest.objects.filter(organisation=access.organisation).select_related(
        "person", "recorded_by", "decided_by"
    )


def rectification_requests_open(*, access) -> QuerySet[RectificationRequest]:
    # rectification_open_org_due_idx
    return (
        rectification_requests_for(access=access)
        .filter(status=RectificationStatus.OPEN)
        .order_by("due_at", "id")
    )


def rectification_request_get(*, access, pk: int) -> RectificationRequest:
    try:
        return rectification_requests_for(access=access).get(pk=pk)
    except RectificationRequest.DoesNotExist as missing:
        raise Http404("No such request.") from missing


def team_deadlines(*, access, before, make) -> list:
    """Team deadlines' source (``settings.HAVEN_TEAM_DEADLINE_SOURCES``): the organisation's
    open subject access and rectification requests due before ``before``, overdue ones
    included, in one query (a UNION of the two tables' partial indexes)."""
    if access.organisation is None:
        return []
    columns = ("kind", "pk", "due_at", "person__full_name")
    sar = (
        SubjectAccessRequest.objects.filter(organisation=access.organisation, due_at__lt=before)
        .exclude(status=SubjectAccessStatus.RELEASED)
        .annotate(kind=Value("sar"))
        .values_list(*columns)
        .order_by()
    )
    rectification = (
        RectificationRequest.objects.filter(
            organisation=access.organisation,
            status=RectificationStatus.OPEN,
            due_at__lt=before,
        )
        .annotate(kind=Value("rr"))
        .values_list(*columns)
        .order_by()
    )
    found = []
    for kind, pk, due_at, name in sar.union(rectification, all=True):
        if kind == "sar":
            title, url = f"Subject access SAR-{pk}", reverse("subject_access:detail", args=[pk])
        else:
            title = f"Rectification RR-{pk}"
            url = reverse("subject_access:rectification", args=[pk])
        found.append(make(title=title, about=name, due_at=due_at, url=url))
    return found
