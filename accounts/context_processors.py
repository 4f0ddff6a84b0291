from .navigation import items_for


def navigation(request):
    access = getattr(request, "access", None)
    if access is None or not request.user.is_authenticated:
        return {"nav_items": [], "nav_menu_items": []}
    items = items_for(access)
    menu_items = sorted((i for i in items if i["menu"]), key=lambda i: i["menu"])
    return {"nav_items": items, "nav_menu_items": menu_items}
