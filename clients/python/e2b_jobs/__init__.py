"""e2b-jobs: serverless jobs in E2B sandboxes, from Python.

    from e2b_jobs import Client
    jobs = Client()                      # E2B_JOBS_URL, E2B_JOBS_TOKEN
    job = jobs.submit({"main.py": "print(6 * 7)"}, command="python main.py")
    done = jobs.wait(job)                # long-polls until it has ended
    print(done["status"], done["stdout"]["text"])
"""

from .client import ENDED, Client
from .errors import (Conflict, E2bJobsError, InvalidRequest, JobNotFound, QuotaExceeded, ServiceUnavailable,
                     Unauthorized)

__all__ = ["Client", "ENDED", "E2bJobsError", "InvalidRequest", "Unauthorized", "JobNotFound", "Conflict",
           "QuotaExceeded", "ServiceUnavailable"]
