"""The navigation bar: each set of roles' entries and HTML are worked out once per process
(``accounts/navigation.py``) and are what the layout's template loop drew."""

import re

import pytest
from django.template import Context, Template
from django.urls import get_script_prefix, reverse, set_script_prefix

from accounts.navigation import NAV_ITEMS, _navigation_html, items_for, navigation_html
from accounts.permissions import access_for

pytestmark = pytest.mark.django_db

# The entries as templates/base.html drew them before ``{% main_navigation %}``.
TEMPLATE_NAV = """
{% for item in nav_items %}{% if not item.menu %}
<li class="nav-item{% if item.url_name == 'home' %} nav-home{% endif %}"><a class="nav-link{% if current == item.url_name %} active" aria-current="page{% endif %}" href="{{ item.url }}">{{ item.label }}</a></li>
{% endif %}{% endfor %}
{% regroup nav_menu_items by menu as menus %}
{% for menu in menus %}
<li class="nav-item dropdown">
  <button class="nav-link dropdown-toggle btn btn-link" type="button" data-bs-toggle="dropdown" aria-expanded="false">{{ menu.grouper }}</button>
  <ul class="dropdown-menu">
    {% for item in menu.list %}<li><a class="dropdown-item{% if current == item.url_name %} active" aria-current="page{% endif %}" href="{{ item.url }}">{{ item.label }}</a></li>{% endfor %}
  </ul>
</li>
{% endfor %}"""  # noqa: E501 - the template as it was


def squeezed(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", str(html))).strip()


@pytest.mark.parametrize("who", ["staff", "officer", "manager", "admin", "panel"])
@pytest.mark.parametrize("current", ["home", "cases:list", "policy:overview", "accounts:members"])
def test_navigation_html_is_what_the_layouts_loop_drew(cast, who, current):
    access = access_for(cast.by_role()[who], cast.organisation.pk)
    items = items_for(access)
    assert [i["label"] for i in items] == [
        item.label for item in NAV_ITEMS if access.roles & item.roles
    ]
    menu_items = sorted((i for i in items if i["menu"]), key=lambda i: i["menu"])
    expected = Template(TEMPLATE_NAV).render(
        Context({"nav_items": items, "nav_menu_items": menu_items, "current": current})
    )
    assert squeezed(navigation_html(access, current)) == squeezed(expected)


def test_the_page_shown_is_marked_once_and_other_pages_not(client, cast):
    client.force_login(cast.manager)
    body = client.get(reverse("cases:list")).content.decode()
    assert body.count('aria-current="page"') == 1
    assert f'<a class="nav-link active" aria-current="page" href="{reverse("cases:list")}">' in body
    body = client.get(reverse("deadlines:team")).content.decode()
    assert body.count('aria-current="page"') == 1
    team = reverse("deadlines:team")
    assert f'<a class="nav-link active" aria-current="page" href="{team}">' in body


def test_an_officer_is_not_shown_a_managers_entries(client, cast):
    client.force_login(cast.officer)
    body = client.get(reverse("home")).content.decode()
    assert reverse("deadlines:my_work") in body
    assert reverse("deadlines:team") not in body and reverse("accounts:members") not in body


def test_the_worked_out_navigation_follows_the_url_prefix(cast):
    access = access_for(cast.officer, cast.organisation.pk)
    before = get_script_prefix()
    try:
        set_script_prefix("/haven/")
        assert 'href="/haven/cases/"' in navigation_html(access, "home")
        assert items_for(access)[0]["url"] == "/haven/"
    finally:
        set_script_prefix(before)
    assert 'href="/cases/"' in navigation_html(access, "home")
    assert items_for(access)[0]["url"] == "/"


def test_navigation_is_worked_out_once_and_empty_without_access(cast):
    access = access_for(cast.officer, cast.organisation.pk)
    cached = _navigation_html.cache_info().hits
    navigation_html(access, "home")
    navigation_html(access, "home")
    assert _navigation_html.cache_info().hits >= cached + 1  # worked out once, then reused
    assert navigation_html(None, "home") == ""
