"""A client of the e2b-jobs HTTP API, standard library only."""

import base64
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path, PurePosixPath

from . import sigv4
from .errors import ServiceUnavailable, error_for

ENDED = frozenset({"SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED"})
_RETRIED = frozenset({429, 500, 502, 503, 504})
_LONGEST_POLL = 20


def _urllib_send(method, url, headers, body, timeout):
    """One HTTP exchange: (status, headers with lower-case names, body bytes); OSError when no answer came."""
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as answer:
        return answer.code, {k.lower(): v for k, v in answer.headers.items()}, answer.read()


class Client:
    """The jobs API at ``url`` (or ``E2B_JOBS_URL``), as the caller ``token`` names (or ``E2B_JOBS_TOKEN``, a JWT).

    For a deployment with ``AuthMode=IAM`` pass ``iam=True`` (or set ``E2B_JOBS_AUTH=iam``): requests are
    SigV4-signed with the standard AWS credentials (environment, or botocore's resolver when installed)
    for ``region`` (or ``AWS_REGION`` / ``AWS_DEFAULT_REGION``).

    Answers the service could not give (429, 5xx, no answer) are tried again with a growing wait, or
    the wait the service asks for in ``Retry-After``; a submit carries an ``Idempotency-Key`` (one is
    made per call unless given), so trying it again never makes a second job.
    """

    def __init__(self, url=None, token=None, *, iam=None, region=None, credentials=None, max_retries=5, first_backoff=0.5,
                 request_timeout=60.0, send=None):
        self.url = (url or os.environ.get("E2B_JOBS_URL") or "").rstrip("/")
        if not self.url:
            raise ValueError("no endpoint: pass url= or set E2B_JOBS_URL")
        self.token = token if token is not None else os.environ.get("E2B_JOBS_TOKEN")
        self.iam = iam if iam is not None else os.environ.get("E2B_JOBS_AUTH", "").lower() == "iam"
        self.region = region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
        if self.iam and not self.region:
            raise ValueError("IAM signing needs a region: pass region= or set AWS_REGION")
        self._credentials = credentials
        self.max_retries = max_retries
        self.first_backoff = first_backoff
        self.request_timeout = request_timeout
        self._send = send or _urllib_send

    def submit(self, files=None, command=None, *, directory=None, dependencies=None, env=None, template=None,
               timeout=None, labels=None, result_paths=None, internet=None, idempotency_key=None):
        """Queues a job and returns it (QUEUED). ``files``: path → str or bytes; or every file under ``directory``."""
        body = _job(files, directory, command, dependencies, env, template, timeout, labels, result_paths, internet)
        return self._call("POST", "/jobs", body, idempotency_key or uuid.uuid4().hex)

    def submit_batch(self, jobs, *, idempotency_key=None):
        """Queues 1..20 jobs (each a dict of ``submit``'s keyword arguments) together, or none; returns them."""
        bodies = [_job(j.get("files"), j.get("directory"), j.get("command"), j.get("dependencies"), j.get("env"),
                       j.get("template"), j.get("timeout"), j.get("labels"), j.get("result_paths"), j.get("internet"))
                  for j in jobs]
        return self._call("POST", "/jobs/batch", bodies, idempotency_key or uuid.uuid4().hex)

    def get(self, job_id):
        """The job now (a job that has ended comes back with its exit code, output and results)."""
        return self._call("GET", "/jobs/" + urllib.parse.quote(job_id, safe=""))

    def wait(self, job, timeout=None):
        """Long-polls until the job has ended (or ``timeout`` seconds have passed) and returns it as it is then."""
        job_id = _id(job)
        deadline = None if timeout is None else time.monotonic() + timeout
        current = self.get(job_id)
        while current["status"] not in ENDED:
            left = _LONGEST_POLL if deadline is None else int(min(_LONGEST_POLL, deadline - time.monotonic()))
            if left <= 0:
                break
            current = self._call("GET", "/jobs/%s?wait=%d" % (urllib.parse.quote(job_id, safe=""), left))
        return current

    def list(self, *, status=None, label=None, page_size=None):
        """Every job of the caller, newest first, as summaries; pages are fetched as the iteration goes."""
        cursor = None
        while True:
            query = {k: v for k, v in {"status": status, "label": label, "limit": page_size, "cursor": cursor}.items() if v}
            page = self._call("GET", "/jobs" + ("?" + urllib.parse.urlencode(query) if query else ""))
            yield from page.get("jobs", [])
            cursor = page.get("nextCursor")
            if not cursor:
                return

    def cancel(self, job):
        """Cancels the job and kills its sandbox; a job that has ended stays as it is. Returns the job."""
        return self._call("DELETE", "/jobs/" + urllib.parse.quote(_id(job), safe=""))

    def download_results(self, job, dest):
        """Writes the job's result files under ``dest`` (inline and linked ones, byte for byte); returns their paths.

        Files too large for the service to keep (``omitted``) are skipped.
        """
        job = job if isinstance(job, dict) and "results" in job else self.get(_id(job))
        written = []
        for result in job.get("results", []):
            target = _inside(Path(dest), result["path"])
            if "content" in result:
                data = base64.b64decode(result["content"]) if result.get("encoding") == "base64" else result["content"].encode()
            elif "url" in result:
                data = self._download(result["url"])
            else:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written.append(target)
        return written

    def _download(self, url):
        status, _, body = self._exchange("GET", url, {}, None, signed=False)  # a presigned link carries its own signature
        if status != 200:
            raise error_for(status, "DOWNLOAD_FAILED", body.decode(errors="replace")[:200])
        return body

    def _call(self, method, path, body=None, idempotency_key=None):
        headers = {"Accept": "application/json"}
        if self.token and not self.iam:
            headers["Authorization"] = "Bearer " + self.token
        if body is not None:
            headers["Content-Type"] = "application/json"
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        data = None if body is None else json.dumps(body).encode()
        status, _, answer = self._exchange(method, self.url + path, headers, data)
        parsed = json.loads(answer) if answer else {}
        if status >= 400:
            raise error_for(status, parsed.get("code") or parsed.get("message") or str(status), parsed.get("detail", ""))
        return parsed

    def _exchange(self, method, url, headers, data, signed=True):
        """One request, tried again on 429, 5xx or no answer, up to ``max_retries`` times (signed afresh each time)."""
        for attempt in range(self.max_retries + 1):
            sent = dict(headers)
            if signed and self.iam:
                self._credentials = self._credentials or sigv4.Credentials.resolve()
                sent.update(sigv4.sign(method, url, headers, data, self._credentials, self.region))
            try:
                status, answer_headers, answer = self._send(method, url, sent, data, self.request_timeout)
            except OSError as lost:
                if attempt == self.max_retries:
                    raise ServiceUnavailable(0, "NO_ANSWER", str(lost)) from lost
                time.sleep(self._backoff(attempt, None))
                continue
            if status not in _RETRIED or attempt == self.max_retries:
                return status, answer_headers, answer
            time.sleep(self._backoff(attempt, answer_headers.get("retry-after")))
        raise AssertionError("unreachable")

    def _backoff(self, attempt, retry_after):
        if retry_after and retry_after.strip().isdigit():
            return min(int(retry_after), 60)
        return min(self.first_backoff * (2 ** attempt), 20)


def _id(job):
    return job["jobId"] if isinstance(job, dict) else job


def _inside(root, relative):
    """``root/relative`` for a result path, refusing one that would leave ``root``."""
    parts = PurePosixPath(relative).parts
    if not parts or PurePosixPath(relative).is_absolute() or ".." in parts:
        raise ValueError("not a relative result path: %r" % relative)
    return root.joinpath(*parts)


def _job(files, directory, command, dependencies, env, template, timeout, labels, result_paths, internet):
    body = {"files": _files(files, directory)}
    optional = {"command": command, "dependencies": dependencies, "env": env, "template": template,
                "timeoutSeconds": timeout, "labels": labels, "resultPaths": result_paths}
    body.update({k: v for k, v in optional.items() if v is not None})
    if internet is not None:
        body["network"] = {"internet": bool(internet)}
    return body


def _files(files, directory):
    found = dict(files or {})
    if directory is not None:
        root = Path(directory)
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            found.setdefault(path.relative_to(root).as_posix(), path.read_bytes())
    return {path: _content(content) for path, content in found.items()}


def _content(content):
    if isinstance(content, str):
        return content
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return {"content": base64.b64encode(content).decode(), "encoding": "base64"}
