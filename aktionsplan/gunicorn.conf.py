"""gunicorn settings for production; each value can be overridden on the command line."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:" + os.environ.get("PORT", "8000"))
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
accesslog = "-"
# Cuts the applicant's status token out of every access and error log line.
logger_class = "aktionsplan.logfilter.GunicornLogger"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    # A new start may bring new templates or settings: no page cached before it is served.
    from aktionsplan.kern.seitencache import neu_gestartet

    neu_gestartet()
