from .navigation import items_for


def navigation(request):
    access = getattr(request, "access", None)
    if access is None or not request.user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": items_for(access)}
