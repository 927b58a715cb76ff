"""A drop-in for Genesis's ``genesis.launch.e2b``, running each evaluation as an e2b-jobs job.

The one-line switch, where Genesis imports its launcher::

    from e2b_jobs import genesis as e2b        # instead of: from genesis.launch import e2b

Same functions, signatures, return values and files as Genesis's module, but a submit returns as soon
as the job is queued (the evaluation runs on its own), ``env_vars`` reach the program, result files are
written byte for byte (``extra.npz`` too), and the job map survives a restart: ids are the service's
(``e2b-<jobId>``) and each job carries its ``log_dir`` as a label (up to 256 characters), so
``get_job_status`` and ``download_results`` find a job this process did not submit. The service is
``E2B_JOBS_URL`` with ``E2B_JOBS_TOKEN`` (or ``E2B_JOBS_AUTH=iam``), as for :class:`e2b_jobs.Client`.
"""

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Dict, List, Optional

from .client import ENDED, Client
from .errors import JobNotFound

logger = logging.getLogger(__name__)
_PREFIX = "e2b-"
_LOG_DIR_LABEL = "genesis.log_dir"
_SANDBOX_HOME = "/home/user/"
_MAX_TIMEOUT = 3300


@dataclass
class E2BSandboxJob:
    """A job this module knows: Genesis's id, where its logs and results go, when it was submitted."""

    job_id: str
    results_dir: str
    start_time: float
    exec_fname: str


E2B_JOBS: Dict[str, E2BSandboxJob] = {}
_client: Optional[Client] = None


def client() -> Client:
    """The client every function here uses (made from the environment on first use)."""
    global _client
    _client = _client or Client()
    return _client


def submit(log_dir: str, cmd: List[str], exec_fname: str, eval_program_path: str, timeout: int = 300, template: str = "base",
           verbose: bool = False, dependencies: Optional[List[str]] = None) -> str:
    """Queues ``python evaluate.py --program_path main.py --results_dir results`` (``cmd`` is ignored, as Genesis does)."""
    return submit_with_files(log_dir, exec_fname, eval_program_path, None, timeout, template, verbose, dependencies)


def submit_with_files(log_dir: str, exec_fname: str, eval_program_path: str, additional_files: Optional[Dict[str, str]] = None,
                      timeout: int = 300, template: str = "base", verbose: bool = False, dependencies: Optional[List[str]] = None,
                      env_vars: Optional[Dict[str, str]] = None) -> str:
    """Queues the evaluation with ``additional_files`` (sandbox path → local path) and returns its id (``e2b-...``) at once."""
    Path(log_dir).mkdir(parents=True, exist_ok=True)
    files = {"main.py": Path(exec_fname).read_bytes(), "evaluate.py": Path(eval_program_path).read_bytes()}
    for sandbox_path, local_path in (additional_files or {}).items():
        files[_job_path(sandbox_path)] = Path(local_path).read_bytes()
    labels = {_LOG_DIR_LABEL: str(log_dir)} if len(str(log_dir)) <= 256 else {}
    try:
        job = client().submit(files, dependencies=dependencies, env=env_vars, template=template,
                              timeout=min(int(timeout), _MAX_TIMEOUT), labels=labels)
    except Exception as e:
        Path(log_dir, "job_log.err").write_text("e2b-jobs submit failed: %s\n" % e)
        raise
    job_id = _PREFIX + job["jobId"]
    E2B_JOBS[job_id] = E2BSandboxJob(job_id, str(log_dir), time.time(), exec_fname)
    if verbose:
        logger.info("Submitted e2b-jobs job %s", job_id)
    return job_id


def get_job_status(job_id: str) -> Optional[str]:
    """The id while the job is queued or running, "" once it has ended, None if the service does not know it."""
    job = _service_job(job_id)
    if job is None:
        return None
    return "" if job["status"] in ENDED else job_id


def download_results(job_id: str, verbose: bool = False) -> bool:
    """Writes the ended job's result files (metrics.json, correct.json, extra.npz ...), job_log.out and job_log.err into its log_dir."""
    job = _service_job(job_id)
    return job is not None and job["status"] in ENDED and _write_results(job_id, job, verbose)


def _write_results(job_id: str, job: dict, verbose: bool) -> bool:
    """Writes an ended job's results and output tails into its log_dir (results/ flattened, as Genesis lays them out)."""
    log_dir = Path(E2B_JOBS[job_id].results_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    client().download_results(_flattened(job), log_dir)
    (log_dir / "job_log.out").write_text(job.get("stdout", {}).get("text", ""))
    (log_dir / "job_log.err").write_text(job.get("stderr", {}).get("text", "") or _error_line(job))
    if verbose:
        logger.info("Downloaded results of %s to %s", job_id, log_dir)
    return True


def cleanup_sandbox(job_id: str, verbose: bool = False) -> None:
    """Ends the job if it still runs (its sandbox is killed) and forgets it."""
    job = _service_job(job_id)
    if job is not None and job["status"] not in ENDED:
        client().cancel(job["jobId"])
    E2B_JOBS.pop(job_id, None)


def monitor(job_id: str, results_dir: str, poll_interval: int = 5, verbose: bool = False) -> Optional[Dict[str, Any]]:
    """Waits for the job to end (long-polling; ``poll_interval`` is not needed), downloads, cleans up, loads the results."""
    if _service_job(job_id) is None:
        return None
    _write_results(job_id, client().wait(job_id[len(_PREFIX):]), verbose)
    E2B_JOBS.pop(job_id, None)  # the job has ended: its sandbox is gone already
    return load_results(results_dir)


def cancel_job(job_id: str, verbose: bool = False) -> bool:
    """Cancels the job; False if the service does not know it."""
    job = _service_job(job_id)
    if job is None:
        return False
    client().cancel(job["jobId"])
    E2B_JOBS.pop(job_id, None)
    return True


def get_sandbox_info(job_id: str) -> Optional[Dict[str, Any]]:
    """What is known of the job: as Genesis's (id, results_dir, times, exec_fname), plus the service's status."""
    job = _service_job(job_id)
    if job is None:
        return None
    known = E2B_JOBS[job_id]
    return {"job_id": known.job_id, "results_dir": known.results_dir, "start_time": known.start_time,
            "elapsed_time": time.time() - known.start_time, "exec_fname": known.exec_fname, "status": job["status"]}


def load_results(results_dir: str) -> Dict[str, Any]:
    """{"metrics": metrics.json, "correct": correct.json} from ``results_dir``, as Genesis's load_results (None where missing)."""
    return {name: _json(Path(results_dir, name + ".json")) for name in ("metrics", "correct")}


def _service_job(job_id: str) -> Optional[dict]:
    """The job as the service has it now, registering one this process did not submit (its log_dir from the label)."""
    if not job_id or not job_id.startswith(_PREFIX):
        return None
    try:
        job = client().get(job_id[len(_PREFIX):])
    except JobNotFound:
        return None
    if job_id not in E2B_JOBS:
        log_dir = job.get("labels", {}).get(_LOG_DIR_LABEL, ".")
        E2B_JOBS[job_id] = E2BSandboxJob(job_id, log_dir, time.time(), "main.py")
    return job


def _job_path(sandbox_path: str) -> str:
    """Genesis's sandbox paths are under /home/user; a job's files are relative to its own directory."""
    return sandbox_path[len(_SANDBOX_HOME):] if sandbox_path.startswith(_SANDBOX_HOME) else sandbox_path.lstrip("/")


def _json(path: Path):
    return json.loads(path.read_text()) if path.exists() else None


def _error_line(job: dict) -> str:
    error = job.get("error")
    return "%s: %s\n" % (error["code"], error["message"]) if error else ""


def _flattened(job: dict) -> dict:
    """The job with its result paths relative to results/, so that results/metrics.json lands as log_dir/metrics.json."""
    return dict(job, results=[dict(r, path=_under_results(r["path"])) for r in job.get("results", [])])


def _under_results(path: str) -> str:
    parts = PurePosixPath(path).parts
    return str(PurePosixPath(*parts[1:])) if len(parts) > 1 and parts[0] == "results" else path
