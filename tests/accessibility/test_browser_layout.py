"""Visual accessibility the axe rules do not measure (issue 17, points 14 to 16).

- Non-text contrast (WCAG 1.4.11): the edges of text boxes, selects and unchecked boxes and
  radios are at least 3:1 against the page; the Medium Risk badge and the outline warning
  button's text at least 4.5:1 (1.4.3).
- Reflow (1.4.10): at 320 px wide no page scrolls sideways; tables scroll in their own box.
- The case page keeps "Record a contact" near the top on a phone; the case list folds its
  filters behind "Filter"; a dashboard chart shrinks when the window narrows after loading.
- The top menu stays on one line at 1280 px for managers and organisation admins.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.demo import DEMO_PASSWORD
from cases.models import Case
from tests.signin import second_factor_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# WCAG's relative luminance and contrast ratio, computed in the page from computed styles.
CONTRAST_JS = """
(pairs) => {
  const rgb = (css) => css.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => {
    const [r, g, b] = c.map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  return pairs.map(([selector, property, against]) => {
    const element = document.querySelector(selector);
    if (!element) return [selector, null];
    const style = getComputedStyle(element);
    const back = against === "page" ? "rgb(255, 255, 255)" : style[against];
    return [selector, Math.round(ratio(style[property], back) * 100) / 100];
  });
}
"""


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    second_factor_step(page, email)
    page.wait_for_url(lambda url: "/login/" not in url)


def _a_case() -> Case:
    return (
        Case.objects.filter(organisation__code="WCH", restricted=False, status="open")
        .order_by("pk")
        .first()
    )


def test_form_controls_risk_badge_and_warning_button_meet_contrast(live_server, page, seeded):
    _sign_in(page, live_server.url, "manager@wch.example")
    case = _a_case()
    page.goto(f"{live_server.url}{reverse('cases:list')}")
    page.evaluate(
        """() => {
          const probe = document.createElement('div');
          probe.innerHTML = '<span class="badge risk-medium" id="p-medium">Medium Risk</span>'
            + '<a class="btn btn-outline-warning" id="p-warning" href="#">Raise a concern</a>'
            + '<input type="checkbox" class="form-check-input" id="p-check">'
            + '<input type="radio" class="form-check-input" id="p-radio">';
          document.querySelector('main').prepend(probe);
        }"""
    )
    ratios = dict(
        page.evaluate(
            CONTRAST_JS,
            [
                ["input.form-control", "borderTopColor", "page"],
                ["select.form-select", "borderTopColor", "page"],
                ["#p-check", "borderTopColor", "page"],
                ["#p-radio", "borderTopColor", "page"],
                ["#p-medium", "color", "backgroundColor"],
                ["#p-warning", "color", "page"],
                ["#p-warning", "borderTopColor", "page"],
            ],
        )
    )
    assert ratios["input.form-control"] >= 3, ratios
    assert ratios["select.form-select"] >= 3, ratios
    assert ratios["#p-check"] >= 3 and ratios["#p-radio"] >= 3, ratios
    assert ratios["#p-medium"] >= 4.5, ratios
    assert ratios["#p-warning"] >= 4.5, ratios
    assert case is not None


def _no_sideways_scroll(page: Page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def test_no_page_scrolls_sideways_at_320_px(live_server, page, seeded):
    _sign_in(page, live_server.url, "admin@wch.example")
    page.set_viewport_size({"width": 320, "height": 640})
    case = _a_case()
    paths = [
        reverse("online_reports:queue"),
        reverse("cases:audit", args=[case.pk]),
        reverse("support:agencies"),
        reverse("letters:templates"),
        reverse("risk:question_sets"),
        reverse("enforcement:remedies", args=[case.pk]),
        reverse("cases:list"),
        reverse("cases:detail", args=[case.pk]),
        reverse("deadlines:my_work"),
        reverse("deadlines:team"),
        reverse("letters:outstanding"),
        reverse("accounts:members"),
        reverse("policy:overview"),
        reverse("transfers:panel_home"),
        reverse("dashboards:dashboard"),
    ]
    wide = {}
    for path in paths:
        page.goto(live_server.url + path)
        width = _no_sideways_scroll(page)
        if width > 320:
            wide[path] = width
    assert wide == {}


def test_on_a_phone_record_a_contact_is_at_the_top_and_case_filters_fold(live_server, page, seeded):
    _sign_in(page, live_server.url, "officer@wch.example")
    page.set_viewport_size({"width": 320, "height": 640})
    case = (
        Case.objects.filter(organisation__code="WCH", restricted=False, status="open")
        .filter(assigned_officer__email="officer@wch.example")
        .order_by("pk")
        .first()
    )
    page.goto(f"{live_server.url}{reverse('cases:detail', args=[case.pk])}")
    quick = page.get_by_test_id("quick-actions").get_by_role("link", name="Record a contact")
    expect(quick).to_be_visible()
    deadlines = page.locator("#deadline-panel-title")
    assert quick.bounding_box()["y"] < deadlines.bounding_box()["y"]
    quick.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("contact")

    page.goto(f"{live_server.url}{reverse('cases:list')}")
    filters = page.get_by_role("form", name="Filter cases")
    expect(filters).to_be_hidden()
    page.get_by_test_id("filter-toggle").click()
    expect(filters).to_be_visible()
    # On a wide screen the filters are simply there, and the button is not.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.reload()
    expect(filters).to_be_visible()
    expect(page.get_by_test_id("filter-toggle")).to_be_hidden()


def test_dashboard_charts_shrink_when_the_window_narrows_after_loading(live_server, page, seeded):
    _sign_in(page, live_server.url, "manager@wch.example")
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{live_server.url}{reverse('dashboards:dashboard')}")
    canvases = page.locator("canvas[data-rendered='true']")
    expect(canvases.first).to_be_visible()
    for width in (700, 400, 1000, 360):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_function(
            "(w) => [...document.querySelectorAll('canvas[data-chart]')]"
            ".every(c => c.getBoundingClientRect().width <= w)",
            arg=width,
            timeout=5000,
        )
        assert _no_sideways_scroll(page) <= width


@pytest.mark.parametrize("email", ["manager@wch.example", "admin@wch.example"])
def test_the_top_menu_is_one_line_at_1280_px(live_server, page, seeded, email):
    page.set_viewport_size({"width": 1280, "height": 800})
    _sign_in(page, live_server.url, email)
    items = page.locator("#main-nav > .navbar-nav > .nav-item:visible")
    assert items.count() >= 6
    tops = {round(items.nth(i).bounding_box()["y"]) for i in range(items.count())}
    link = page.locator("#main-nav .navbar-nav .nav-link:visible").first.bounding_box()
    menu = page.locator("#main-nav > .navbar-nav").bounding_box()
    bar = page.get_by_role("navigation", name="Main").bounding_box()
    # One line: every item at one height, the list no taller than a link, the bar no taller
    # than Bootstrap's single-line navbar, and nothing pushed past the window's edge.
    assert len(tops) == 1, tops
    assert menu["height"] <= link["height"] + 2, (menu, link)
    assert bar["height"] <= 64, bar
    assert _no_sideways_scroll(page) <= 1280
    # The organisation's name has moved into the user menu, not gone.
    page.get_by_role("button", name="Maya Manager" if "manager" in email else "Adam Admin").click()
    expect(page.get_by_text("Watford Community Housing:")).to_be_visible()
