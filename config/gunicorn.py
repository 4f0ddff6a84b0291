"""gunicorn's settings that are Haven's policy, not a machine's (the Dockerfile's CMD names
this file; bind address, workers and proxy trust stay on the command line).

The access log keeps, per request: the client address as gunicorn sees it, the time, the
method, the path WITHOUT its query string, the protocol, the status, the bytes sent and
the duration in milliseconds. It leaves out the query string (``%(q)s``, and ``%(r)s``, the
request line, which contains it), the Referer (``%(f)s``, the previous page's full URL)
and the user agent. Haven keeps personal data out of URLs anyway (the case list's search
and the intake suggestions are posted); this is the second line of defence.
"""

accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
