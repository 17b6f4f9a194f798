"""gunicorn settings for the workbench.

    gunicorn -c deploy/gunicorn.conf.py 'workbench.app:create_app()'

Every value can be overridden from the environment (see workbench.env.example).
"""

import multiprocessing
import os

from workbench.services.schedule_runner import start_ticker

# Behind the reverse proxy on the same host; bind to a unix socket or loopback only.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Pages are CPU-bound: about two processes per core. Each process holds its own database pool.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A request should take well under a second; storyboards render in the job worker, not here.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle processes now and then so memory that a long day leaves behind is returned.
max_requests = 2000
max_requests_jitter = 200
# The application applies X-Forwarded-* itself (WORKBENCH_PROXY_HOPS); gunicorn must not.
forwarded_allow_ips = ""
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def post_worker_init(worker):
    """Start the schedule's thread in each web process when there is no Redis.

    With WORKBENCH_REDIS_URL set this does nothing: `workbench worker --with-scheduler` ticks.
    One process holds the schedule's lease at a time; the others stand by.
    """
    start_ticker(worker.wsgi)
