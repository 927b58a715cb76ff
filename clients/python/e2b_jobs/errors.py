"""Errors of the e2b-jobs API, one class per kind, each carrying the API's stable ``code``."""


class E2bJobsError(Exception):
    """An answer the API gave with an error: its HTTP status, stable ``code`` and ``detail``."""

    def __init__(self, status, code, detail=""):
        super().__init__(f"{status} {code}: {detail}" if detail else f"{status} {code}")
        self.status = status
        self.code = code
        self.detail = detail


class InvalidRequest(E2bJobsError):
    """400: the request was refused as it is (nothing was stored, no sandbox was made)."""


class Unauthorized(E2bJobsError):
    """401: no valid credentials."""


class JobNotFound(E2bJobsError):
    """404: no such job, or another caller's."""


class Conflict(E2bJobsError):
    """409: an Idempotency-Key reused with another payload, or its first request still in progress."""


class QuotaExceeded(E2bJobsError):
    """429: the caller has its quota of unfinished jobs (retried by the client until its retries run out)."""


class ServiceUnavailable(E2bJobsError):
    """5xx, or no answer at all: the service or its gateway failed (retried by the client until its retries run out)."""


_BY_STATUS = {400: InvalidRequest, 401: Unauthorized, 403: Unauthorized, 404: JobNotFound, 409: Conflict, 429: QuotaExceeded}


def error_for(status, code, detail):
    """The error class for an HTTP status."""
    cls = _BY_STATUS.get(status, ServiceUnavailable if status >= 500 else E2bJobsError)
    return cls(status, code, detail)
