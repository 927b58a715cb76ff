"""A code-execution tool for agent frameworks (ROMA-DSPy, Agent Squad): one call, one job, one honest answer."""

from .client import Client

_LANGUAGES = {"python": ("main.py", "python main.py"), "bash": ("main.sh", "bash main.sh")}


def run_code(code, language="python", dependencies=None, timeout=60, client=None):
    """Runs ``code`` in a fresh sandbox and waits for it.

    Returns ``{success, results, stdout, stderr, error, sandbox_id, job_id}``: ``success`` is true only if the
    code exited 0 (a failing program is a failure, not a success with an error beside it); ``results`` maps each
    result file written under ``results/`` to its text (or base64 for binary files); ``sandbox_id`` is None:
    the service does not hand sandboxes out, and the job's is gone once it has ended.
    """
    if language not in _LANGUAGES:
        raise ValueError("language must be one of %s" % sorted(_LANGUAGES))
    name, command = _LANGUAGES[language]
    jobs = client or Client()
    job = jobs.wait(jobs.submit({name: code}, command=command, dependencies=dependencies, timeout=timeout))
    error = job.get("error")
    return {
        "success": job["status"] == "SUCCEEDED",
        "results": {r["path"]: r["content"] for r in job.get("results", []) if "content" in r},
        "stdout": job.get("stdout", {}).get("text", ""),
        "stderr": job.get("stderr", {}).get("text", ""),
        "error": None if error is None else "%s: %s" % (error["code"], error["message"]),
        "sandbox_id": None,
        "job_id": job["jobId"],
    }
