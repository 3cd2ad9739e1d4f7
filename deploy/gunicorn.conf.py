"""
gunicorn's configuration for Drive-in (docs/production.md):

    gunicorn -c deploy/gunicorn.conf.py

Everything can be set from the environment, so the systemd unit, the container
and the smoke test (tools/smoke.py) run the same file:

- GUNICORN_BIND        where to listen (default 127.0.0.1:8000; the reverse proxy
                       in front of it terminates TLS)
- WEB_CONCURRENCY      worker processes (default: the number of cores)
- GUNICORN_THREADS     threads per worker (default 4): workers x threads requests at
                       once, and as many database connections (DB_POOL_SIZE = threads)
- GUNICORN_TIMEOUT     seconds before a stuck worker is replaced (default 30)
"""

import os

wsgi_app = "drivein.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 2)
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (a slow leak never grows for long).
max_requests = 2000
max_requests_jitter = 200
# The reverse proxy on this machine may say the request came over HTTPS
# (X-Forwarded-Proto, read by Django's SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Logs to standard output and error: journald or the container collects them.
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "true") != "false" else None
# Without the query string: a one-time login link (?sesame=…) never reaches the log.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
