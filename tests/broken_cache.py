"""A cache backend that fails every call the way Redis does when it is stopped."""

from django.core.cache.backends.base import BaseCache


class BrokenCache(BaseCache):
    """Every operation raises ``ConnectionError``; ``calls`` counts the attempts."""

    calls = 0

    def __init__(self, location, params):
        super().__init__(params)

    def _fail(self, *args, **kwargs):
        BrokenCache.calls += 1
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    add = get = set = touch = delete = get_many = set_many = delete_many = _fail
    has_key = incr = decr = clear = _fail

    def close(self, **kwargs):
        pass
