"""The applicant's status link never reaches a log: Django's and gunicorn's lines are cut."""

import logging

from gunicorn.glogging import Logger

from antraege.statuslink import schwaerzen


class StatuslinkFilter(logging.Filter):
    """Writes `/antrag/status/…/` for every status token in a log line."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a malformed log call: logging itself reports it later
            return True
        geschwaerzt = schwaerzen(message)
        if geschwaerzt != message:
            record.msg, record.args = geschwaerzt, ()
        return True


class GunicornLogger(Logger):
    """gunicorn's access and error log with the same filter (request line, path, referer)."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            log.addFilter(StatuslinkFilter())
