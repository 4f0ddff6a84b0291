"""Responses that must not be kept by a browser or a proxy."""

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Every page and download Haven serves holds case data or a form being filled in, so none
    may be stored: not in a shared computer's browser cache (the back button after signing
    out), nor in a proxy. ``Cache-Control: no-store`` (and ``Pragma: no-cache`` for HTTP/1.0
    proxies) on every response a view makes, unless the view set its own Cache-Control.
    Static files are served by WhiteNoise before this runs and keep their long caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        if "no-store" in response["Cache-Control"]:
            response.setdefault("Pragma", "no-cache")
        return response
