from .navigation import items_for


def navigation(request):
    """The entries the user's roles see (``nav_items``, the dropdowns' in ``nav_menu_items``).
    The layout draws them with ``{% main_navigation %}``, worked out once per set of roles."""
    access = getattr(request, "access", None)
    if access is None or not request.user.is_authenticated:
        return {"nav_items": [], "nav_menu_items": []}
    items = items_for(access)
    menu_items = sorted((i for i in items if i["menu"]), key=lambda i: i["menu"])
    return {"nav_items": items, "nav_menu_items": menu_items}
