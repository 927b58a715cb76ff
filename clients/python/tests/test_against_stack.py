"""The client against a running e2b-jobs (the local stack in ./mvnw verify: PythonClientIT sets E2B_JOBS_URL and E2B_JOBS_TOKEN)."""

import os
import tempfile
import unittest
import uuid
from pathlib import Path

from e2b_jobs import Client, InvalidRequest, JobNotFound

RESULTS = """
import os
os.makedirs('results/deep', exist_ok=True)
open('results/all.bin', 'wb').write(bytes(range(256)))
open('results/deep/big.bin', 'wb').write(bytes(i % 251 for i in range(400000)))
open('results/m.json', 'w').write(open('params.json').read())
print(os.environ['SEED'])
"""


@unittest.skipUnless(os.environ.get("E2B_JOBS_URL"), "needs a running e2b-jobs (E2B_JOBS_URL)")
class AgainstTheStackTest(unittest.TestCase):
    def setUp(self):
        self.jobs = Client()
        self.label = uuid.uuid4().hex

    def test_a_job_runs_and_its_results_come_back_byte_for_byte_inline_or_by_link(self):
        job = self.jobs.submit({"main.py": RESULTS, "params.json": b'{"score": 0.93}'}, command="python main.py", env={"SEED": "42"})
        done = self.jobs.wait(job, timeout=120)

        self.assertEqual("SUCCEEDED", done["status"], done)
        self.assertEqual("42\n", done["stdout"]["text"])
        with tempfile.TemporaryDirectory() as dest:
            written = self.jobs.download_results(done, dest)
            self.assertEqual(3, len(written))
            self.assertEqual(bytes(range(256)), Path(dest, "results/all.bin").read_bytes())
            self.assertEqual(bytes(i % 251 for i in range(400000)), Path(dest, "results/deep/big.bin").read_bytes(), "by link")
            self.assertEqual(b'{"score": 0.93}', Path(dest, "results/m.json").read_bytes())

    def test_a_submit_whose_answer_was_lost_is_sent_again_and_makes_one_job(self):
        real = self.jobs._send
        lost = []

        def lose_first_submit_answer(method, url, headers, body, timeout):
            answer = real(method, url, headers, body, timeout)
            if method == "POST" and not lost:
                lost.append(answer)
                raise ConnectionResetError("the answer was lost on the way")
            return answer

        jobs = Client(send=lose_first_submit_answer, first_backoff=0.1)
        job = jobs.submit({"main.py": "print(1)"}, command="python main.py", labels={"run": self.label})

        self.assertEqual(1, len(lost), "the first answer was lost after the service had stored the job")
        self.assertEqual([job["jobId"]], [j["jobId"] for j in jobs.list(label="run:" + self.label)])

    def test_a_sleeping_job_is_cancelled(self):
        job = self.jobs.submit({"main.py": "import time\ntime.sleep(120)"}, command="python main.py")

        self.assertEqual("CANCELLED", self.jobs.cancel(job)["status"])
        self.assertEqual("CANCELLED", self.jobs.get(job["jobId"])["status"])

    def test_unknown_jobs_and_refused_requests_raise_with_the_apis_code(self):
        with self.assertRaises(JobNotFound) as unknown:
            self.jobs.get("01JD0000000000000000000000")
        with self.assertRaises(InvalidRequest) as refused:
            self.jobs.submit({"../x": "no"}, command="true")

        self.assertEqual("JOB_NOT_FOUND", unknown.exception.code)
        self.assertEqual("PATH_TRAVERSAL", refused.exception.code)

    def test_list_iterates_every_page(self):
        ids = {self.jobs.submit({"main.py": "print(1)"}, command="python main.py", labels={"run": self.label})["jobId"] for _ in range(3)}

        self.assertEqual(ids, {j["jobId"] for j in self.jobs.list(label="run:" + self.label, page_size=2)})


if __name__ == "__main__":
    unittest.main()
