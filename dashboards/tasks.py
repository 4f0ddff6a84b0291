"""Celery tasks for the dashboards: a few lines each, no arguments."""

from celery import shared_task

from .cache import dashboards_warm


@shared_task(ignore_result=True, soft_time_limit=120, time_limit=150)
def warm_dashboards() -> int:
    """Every few minutes (config/celery.py): each organisation's default dashboard, computed
    ahead so managers' first view is served from the cache."""
    return dashboards_warm()
