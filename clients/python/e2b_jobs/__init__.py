"""e2b-jobs: serverless jobs in E2B sandboxes, from Python.

    from e2b_jobs import Client
    jobs = Client()                      # E2B_JOBS_URL, E2B_JOBS_TOKEN
    job = jobs.submit({"main.py": "print(6 * 7)"}, command="python main.py")
    done = jobs.wait(job)                # long-polls until it has ended
    print(done["status"], done["stdout"]["text"])

Also: ``e2b_jobs.genesis`` (a drop-in for Genesis's launcher), ``run_code`` (an agent tool), the ``e2b-jobs`` CLI.
"""

from .client import ENDED, Client
from .errors import (Conflict, E2bJobsError, InvalidRequest, JobNotFound, QuotaExceeded, ServiceUnavailable,
                     Unauthorized)
from .toolkit import run_code

__all__ = ["Client", "ENDED", "run_code", "E2bJobsError", "InvalidRequest", "Unauthorized", "JobNotFound", "Conflict",
           "QuotaExceeded", "ServiceUnavailable"]
