"""Work done after the response, so that how long it takes tells the visitor nothing.

"Statuslink verloren?" answers the same for every address; finding the Anträge, writing the
mails and sending them happens in a thread once the request's transaction has committed.
The thread is not a daemon: a gunicorn worker that stops waits for it. With
HINTERGRUND_THREADS off (the test suite, whose tests share one uncommitted transaction) the
work runs at the commit, in the request's thread.
"""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connections, transaction

log = logging.getLogger(__name__)
_laufend: list[threading.Thread] = []


def nach_der_antwort(funktion, /, **kwargs) -> None:
    """Runs `funktion(**kwargs)` after the commit, in its own thread (see the module)."""

    def lauf():
        try:
            close_old_connections()
            funktion(**kwargs)
        except Exception:  # nobody waits for it: the log is where a failure shows
            log.exception("Hintergrundarbeit %s fehlgeschlagen", funktion.__name__)
        finally:
            connections.close_all()

    def starten():
        if not settings.HINTERGRUND_THREADS:
            funktion(**kwargs)
            return
        thread = threading.Thread(target=lauf, name=f"hintergrund-{funktion.__name__}")
        _laufend[:] = [t for t in _laufend if t.is_alive()]
        _laufend.append(thread)
        thread.start()

    transaction.on_commit(starten)


def warten(timeout: float = 30) -> None:
    """Waits for the threads started so far (tests, and a clean stop)."""
    for thread in list(_laufend):
        thread.join(timeout)
