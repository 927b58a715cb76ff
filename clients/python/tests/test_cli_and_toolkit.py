"""The e2b-jobs CLI and run_code against a running e2b-jobs (set by LocalStackIT)."""

import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from e2b_jobs import run_code


@unittest.skipUnless(os.environ.get("E2B_JOBS_URL"), "needs a running e2b-jobs (E2B_JOBS_URL)")
class CliAndToolkitTest(unittest.TestCase):
    def test_submit_wait_prints_the_output_and_exits_with_the_jobs_exit_code(self):
        with tempfile.TemporaryDirectory() as job_dir:
            Path(job_dir, "main.py").write_text("import os\nprint('from', os.environ['WHO'])\nraise SystemExit(3)\n")
            cli = subprocess.run([sys.executable, "-m", "e2b_jobs.cli", "submit", job_dir, "--command", "python main.py",
                                  "--env", "WHO=cli", "--wait"], capture_output=True, text=True, timeout=180)

        self.assertEqual(3, cli.returncode, cli.stderr)
        self.assertIn("from cli\n", cli.stdout)
        self.assertRegex(cli.stderr, r"FAILED")

    def test_run_code_reports_success_only_when_the_code_succeeded(self):
        good = run_code("import os\nos.makedirs('results', exist_ok=True)\nopen('results/x.txt', 'w').write('x')\nprint('hi')\n")
        bad = run_code("raise ValueError('no')\n")

        self.assertEqual((True, "hi\n", {"results/x.txt": "x"}, None), (good["success"], good["stdout"], good["results"], good["error"]))
        self.assertFalse(bad["success"])
        self.assertTrue(bad["error"].startswith("EXIT_NONZERO"), bad)
        self.assertIn("ValueError: no", bad["stderr"])


if __name__ == "__main__":
    unittest.main()
