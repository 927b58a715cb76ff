"""e2b_jobs.genesis as Genesis uses genesis.launch.e2b, against a running e2b-jobs (set by LocalStackIT)."""

import os
import tempfile
import time
import unittest
from pathlib import Path

from e2b_jobs import genesis as e2b

PROGRAM = "def solve():\n    return 42\n"
EVALUATE = """
import argparse, importlib.util, json, os
args = argparse.ArgumentParser()
args.add_argument('--program_path'); args.add_argument('--results_dir')
a = args.parse_args()
spec = importlib.util.spec_from_file_location('program', a.program_path)
program = importlib.util.module_from_spec(spec); spec.loader.exec_module(program)
os.makedirs(a.results_dir, exist_ok=True)
json.dump({'combined_score': program.solve() * int(os.environ['SCALE']), 'seed': open('data/seed.txt').read()},
          open(os.path.join(a.results_dir, 'metrics.json'), 'w'))
json.dump({'correct': True}, open(os.path.join(a.results_dir, 'correct.json'), 'w'))
open(os.path.join(a.results_dir, 'extra.npz'), 'wb').write(bytes(range(256)) * 4)
print('evaluated')
"""


@unittest.skipUnless(os.environ.get("E2B_JOBS_URL"), "needs a running e2b-jobs (E2B_JOBS_URL)")
class GenesisDropInTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        root = Path(self.dir.name)
        (root / "main.py").write_text(PROGRAM)
        (root / "evaluate.py").write_text(EVALUATE)
        (root / "seed.txt").write_text("7")
        self.root = root

    def submit(self, log_dir):
        return e2b.submit_with_files(str(log_dir), str(self.root / "main.py"), str(self.root / "evaluate.py"),
                                     additional_files={"/home/user/data/seed.txt": str(self.root / "seed.txt")}, env_vars={"SCALE": "2"})

    def test_an_evaluation_round_trips_with_its_env_vars_and_a_binary_result(self):
        log_dir = self.root / "gen_1"
        job_id = self.submit(log_dir)
        self.assertTrue(job_id.startswith("e2b-"))
        while e2b.get_job_status(job_id):
            time.sleep(0.2)

        self.assertEqual("", e2b.get_job_status(job_id))
        self.assertTrue(e2b.download_results(job_id))
        self.assertEqual(bytes(range(256)) * 4, (log_dir / "extra.npz").read_bytes(), "binary-safe")
        self.assertEqual("evaluated\n", (log_dir / "job_log.out").read_text())
        self.assertEqual({"metrics": {"combined_score": 84, "seed": "7"}, "correct": {"correct": True}}, e2b.load_results(str(log_dir)))

    def test_monitor_waits_downloads_cleans_up_and_loads_and_the_map_survives_a_restart(self):
        log_dir = self.root / "gen_2"
        job_id = self.submit(log_dir)
        e2b.E2B_JOBS.clear()  # as after a restart: the ids are the service's, the log_dir its label

        results = e2b.monitor(job_id, str(log_dir))

        self.assertEqual({"combined_score": 84, "seed": "7"}, results["metrics"])
        self.assertNotIn(job_id, e2b.E2B_JOBS, "cleaned up")
        self.assertTrue((log_dir / "metrics.json").exists())

    def test_a_sleeping_job_is_cancelled_and_an_unknown_one_is_none(self):
        sleeper = self.root / "sleeper.py"
        sleeper.write_text("import time\ntime.sleep(120)\n")
        job_id = e2b.submit_with_files(str(self.root / "gen_3"), str(self.root / "main.py"), str(sleeper))

        self.assertEqual(job_id, e2b.get_job_status(job_id))
        self.assertTrue(e2b.cancel_job(job_id))
        self.assertEqual("CANCELLED", e2b.client().get(job_id[len("e2b-"):])["status"])
        self.assertIsNone(e2b.get_job_status("e2b-01JD0000000000000000000000"))
        self.assertIsNone(e2b.get_job_status("not-ours"))
        self.assertFalse(e2b.cancel_job("e2b-01JD0000000000000000000000"))


if __name__ == "__main__":
    unittest.main()
