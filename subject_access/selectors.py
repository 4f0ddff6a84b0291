"""Reads for the requests pages, scoped to the user's organisation (managers and
organisation admins only: the views check the role)."""

from django.db.models import QuerySet
from django.http import Http404

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
