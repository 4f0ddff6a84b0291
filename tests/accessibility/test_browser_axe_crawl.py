"""axe-core on every page a person in each role can reach (issue 17).

Each role of the demo cast signs in to a seeded organisation (``seed_demo``: cases at every
stage, letters, a Housing Panel with requests, online reports, dashboards) and follows every
link from home, one page per URL pattern, breadth first. On each page axe-core runs with the
WCAG 2.0, 2.1 and 2.2 A and AA rules, and the test fails on any finding of any impact, naming
the page, the rule and the elements. The resident's pages (the online report, signing in) are
crawled without signing in. Every page must answer 200, carry its own ``<title>`` and show
every dropdown's options uncut.

One browser and one tab per role keep the crawl to a few minutes.
"""

from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import Page

from accounts.demo import DEMO_PASSWORD
from tests.signin import second_factor_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).resolve().parents[1] / "assets" / "axe.min.js").read_text()
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

# Each role of the cast, signed in to Watford Community Housing; None is the resident.
ROLES = {
    "staff": "staff@wch.example",
    "officer": "officer@wch.example",
    "manager": "manager@wch.example",
    "panel member": "panel@wch.example",
    "organisation admin": "admin@wch.example",
    "resident": None,
}
RESIDENT_STARTS = ["/report/", "/login/"]

# Links that are not pages: files to download, Django's own admin (not Haven's interface),
# and signing out.
NOT_PAGES = {
    "cases:evidence_download",
    "letters:download",
    "dashboards:csv",
    "dashboards:partner_csv",
    "dashboards:group_csv",
    "policy:export",
    "transfers:meeting_minutes",
    "online_reports:upload",
    "logout",
    "healthz",
    "readyz",
}


def _pattern(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.app_name == "admin" or match.view_name.startswith("admin:"):
        return None
    return match.view_name


def _axe(page: Page) -> list[dict]:
    page.evaluate(AXE)
    result = page.evaluate(
        "async (tags) => await axe.run(document, "
        "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return result["violations"]


# A select too narrow for an option's words cuts them off (issue 17, point 16): each visible
# select's options are measured in its own font against the room left of its arrow.
CLIPPED_SELECTS_JS = """
() => {
  const context = document.createElement("canvas").getContext("2d");
  const clipped = [];
  for (const select of document.querySelectorAll("select")) {
    if (!select.offsetParent) continue;
    const style = getComputedStyle(select);
    context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const room = select.clientWidth - parseFloat(style.paddingLeft)
      - parseFloat(style.paddingRight);
    const option = [...select.options].find((o) => context.measureText(o.text).width > room + 1);
    if (option) clipped.push(`#${select.id || select.name}: "${option.text}"`);
  }
  return clipped;
}
"""


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    second_factor_step(page, email)
    page.wait_for_url(lambda url: "/login/" not in url)


def crawl(page: Page, base: str, starts: list[str], limit: int = 120) -> dict[str, dict]:
    """Every page reachable from ``starts`` by links, one per URL pattern: its path, status,
    title and axe's findings, keyed by the pattern's name."""
    origin = urlsplit(base).netloc
    queue = list(starts)
    visited: dict[str, dict] = {}
    while queue and len(visited) < limit:
        path = queue.pop(0)
        pattern = _pattern(urlsplit(path).path)
        if pattern is None or pattern in visited or pattern in NOT_PAGES:
            continue
        response = page.goto(base + path)
        landed = urlsplit(page.url)
        landed_pattern = _pattern(landed.path)
        if landed_pattern != pattern:
            # A redirect (home to sign in, say): the page shown is tried under its own name.
            visited[pattern] = {"path": path, "redirected": True}
            if landed_pattern is None or landed_pattern in visited:
                continue
            pattern = landed_pattern
            path = landed.path + (f"?{landed.query}" if landed.query else "")
        visited[pattern] = {
            "path": path,
            "status": response.status if response else None,
            "title": page.title(),
            "violations": _axe(page),
            "clipped": page.evaluate(CLIPPED_SELECTS_JS),
        }
        hrefs = page.eval_on_selector_all(
            "a[href]:not([download])", "links => links.map(link => link.href)"
        )
        for href in hrefs:
            href, _fragment = urldefrag(href)
            parts = urlsplit(href)
            if parts.scheme not in ("http", "https") or parts.netloc != origin:
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return visited


def _findings(role: str, pages: dict[str, dict]) -> list[str]:
    found = []
    for pattern, seen in pages.items():
        if seen.get("redirected"):
            continue
        if seen["status"] != 200:
            found.append(f"{role} {seen['path']} ({pattern}): answered {seen['status']}")
        for select in seen["clipped"]:
            found.append(f"{role} {seen['path']} ({pattern}): clipped dropdown text {select}")
        for violation in seen["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:5]
            found.append(
                f"{role} {seen['path']} ({pattern}): {violation['id']} "
                f"[{violation['impact']}] {violation['help']}: {targets}"
            )
    return found


def _shared_titles(role: str, pages: dict[str, dict]) -> list[str]:
    by_title: dict[str, list[str]] = {}
    for pattern, seen in pages.items():
        if not seen.get("redirected"):
            by_title.setdefault(seen["title"], []).append(pattern)
    return [
        f"{role}: {len(patterns)} pages are all titled {title!r}: {sorted(patterns)}"
        for title, patterns in by_title.items()
        if len(patterns) > 1
    ]


def test_every_page_each_role_reaches_passes_axe_wcag22_aa_with_its_own_title(
    live_server, browser, seeded
):
    problems: list[str] = []
    reached: dict[str, int] = {}
    for role, email in ROLES.items():
        context = browser.new_context()
        page = context.new_page()
        if email:
            _sign_in(page, live_server.url, email)
            pages = crawl(page, live_server.url, ["/"])
        else:
            pages = crawl(page, live_server.url, RESIDENT_STARTS)
        context.close()
        reached[role] = sum(1 for seen in pages.values() if not seen.get("redirected"))
        problems += _findings(role, pages)
        problems += _shared_titles(role, pages)
    print(f"pages crawled per role: {reached}")
    # The crawl must really have reached the pages of each role, not stopped at home.
    assert reached["officer"] >= 25 and reached["manager"] >= 30, reached
    assert reached["panel member"] >= 4 and reached["resident"] >= 2, reached
    assert problems == [], "\n".join([f"pages crawled per role: {reached}", *problems])
