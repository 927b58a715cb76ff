"""``e2b-jobs``: submit, follow and fetch jobs from a terminal. Waiting commands exit with the job's exit code."""

import argparse
import json
import sys

from .client import ENDED, Client


def main(argv=None):
    args = _parser().parse_args(argv)
    try:
        return args.run(Client(), args)
    except Exception as e:  # one line for a person, not a traceback
        print("e2b-jobs: %s" % e, file=sys.stderr)
        return 2


def _parser():
    parser = argparse.ArgumentParser(prog="e2b-jobs", description="Jobs in E2B sandboxes (E2B_JOBS_URL, E2B_JOBS_TOKEN).")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    submit = commands.add_parser("submit", help="submit every file under DIR as a job")
    submit.add_argument("dir")
    submit.add_argument("--command", help="default: Genesis's python evaluate.py --program_path main.py --results_dir results")
    submit.add_argument("--dep", action="append", default=[], help="a pip requirement (repeatable)")
    submit.add_argument("--env", action="append", default=[], help="K=V (repeatable)")
    submit.add_argument("--timeout", type=int)
    submit.add_argument("--wait", action="store_true", help="follow it to its end and exit with its exit code")
    submit.set_defaults(run=_submit)
    for name, run, text in (("status", _status, "the job now"), ("wait", _wait, "follow the job to its end"),
                            ("logs", _logs, "its stdout and stderr (tails)"), ("cancel", _cancel, "cancel it")):
        command = commands.add_parser(name, help=text)
        command.add_argument("job")
        command.set_defaults(run=run)
    results = commands.add_parser("results", help="download its result files")
    results.add_argument("job")
    results.add_argument("--out", required=True)
    results.set_defaults(run=_results)
    listing = commands.add_parser("list", help="your jobs, newest first")
    listing.add_argument("--status")
    listing.add_argument("--label")
    listing.set_defaults(run=_list)
    return parser


def _submit(jobs, args):
    env = dict(pair.split("=", 1) for pair in args.env)
    job = jobs.submit(directory=args.dir, command=args.command, dependencies=args.dep or None, env=env or None, timeout=args.timeout)
    print(job["jobId"])
    return _follow(jobs, job) if args.wait else 0


def _wait(jobs, args):
    return _follow(jobs, jobs.get(args.job))


def _follow(jobs, job):
    """Prints each status the job passes through (on stderr), then its output; the job's exit code, or 1 without one."""
    last = None
    while True:
        if job["status"] != last:
            last = job["status"]
            print("%s %s" % (job["jobId"], last), file=sys.stderr)
        if last in ENDED:
            break
        job = jobs.wait(job, timeout=5)
    _print_output(job)
    return job["exitCode"] if job.get("exitCode") is not None else 1


def _status(jobs, args):
    print(json.dumps(jobs.get(args.job), indent=2))
    return 0


def _logs(jobs, args):
    _print_output(jobs.get(args.job))
    return 0


def _print_output(job):
    sys.stdout.write(job.get("stdout", {}).get("text", ""))
    sys.stderr.write(job.get("stderr", {}).get("text", ""))


def _results(jobs, args):
    for path in jobs.download_results(args.job, args.out):
        print(path)
    return 0


def _cancel(jobs, args):
    print(jobs.cancel(args.job)["status"])
    return 0


def _list(jobs, args):
    for job in jobs.list(status=args.status, label=args.label):
        print("%s %-9s %s" % (job["jobId"], job["status"], job.get("createdAt", "")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
