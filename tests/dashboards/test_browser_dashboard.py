"""The demo manager opens the dashboard, changes the period, and the charts change."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.demo import DEMO_PASSWORD
from policy.formats import uk_date
from tests.signin import second_factor_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _chart(page: Page, slug: str) -> dict:
    canvas = page.locator(f'canvas[data-chart="{slug}"]')
    expect(canvas).to_have_attribute("data-rendered", "true")
    return {
        "points": canvas.get_attribute("data-points"),
        "total": canvas.get_attribute("data-total"),
    }


def test_demo_manager_changes_the_period_and_the_charts_change(live_server, page: Page):
    call_command("seed_demo", "--force")
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(f"{m.text} @ {m.location}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: problems.append(str(e)))

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail address").fill("manager@wch.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    second_factor_step(page, "manager@wch.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboards").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Dashboard: Watford Community Housing"
    )
    months_before = _chart(page, "hotspot-months")
    channels_before = _chart(page, "channels")
    table_before = page.locator('[data-table="channels"] table').inner_text()
    assert int(months_before["points"]) >= 12  # a year, month by month
    assert int(channels_before["total"]) > 0  # demo data fills it

    today = timezone.localdate()
    page.get_by_label("From", exact=True).fill((today - timedelta(days=40)).isoformat())
    page.get_by_role("button", name="Filter", exact=True).click()

    expect(page.get_by_test_id("period")).to_contain_text(uk_date(today - timedelta(days=40)))
    months_after = _chart(page, "hotspot-months")
    channels_after = _chart(page, "channels")
    assert int(months_after["points"]) in (2, 3)
    assert int(channels_after["total"]) < int(channels_before["total"])
    assert page.locator('[data-table="channels"] table').inner_text() != table_before
    # Each chart's figures are in a table beneath it, and no script broke the CSP.
    expect(page.locator('[data-table="channels"] table caption')).to_contain_text(
        "How reports were made"
    )
    assert problems == []
