from carte_blanche.web.navigation import items_for


def navigation(request):
    return {"nav_items": items_for(request)}
