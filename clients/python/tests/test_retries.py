"""The client's retries, against a scripted transport: what the service asks for is honoured, and errors carry its code."""

import json
import unittest
from unittest import mock

from e2b_jobs import Client, InvalidRequest, QuotaExceeded, ServiceUnavailable
from e2b_jobs.sigv4 import Credentials


def scripted(*answers):
    """A transport that answers with ``answers`` in turn (an exception is raised instead) and records the requests."""
    requests = []

    def send(method, url, headers, body, timeout):
        requests.append((method, url, dict(headers), body))
        answer = answers[len(requests) - 1]
        if isinstance(answer, Exception):
            raise answer
        status, headers, payload = answer
        return status, headers, json.dumps(payload).encode()

    return send, requests


class RetryTest(unittest.TestCase):
    def test_a_429_waits_as_long_as_retry_after_says_then_the_same_submit_goes_again(self):
        send, requests = scripted((429, {"retry-after": "7"}, {"code": "QUOTA_EXCEEDED"}), (202, {}, {"jobId": "j1", "status": "QUEUED"}))
        with mock.patch("time.sleep") as slept:
            job = Client("http://api", "t", send=send).submit({"main.py": "print(1)"}, command="python main.py")

        self.assertEqual("j1", job["jobId"])
        slept.assert_called_once_with(7)
        self.assertEqual(requests[0][2]["Idempotency-Key"], requests[1][2]["Idempotency-Key"], "one key per submit")
        self.assertEqual(requests[0][3], requests[1][3])

    def test_no_answer_and_5xx_are_tried_again_with_growing_waits_until_the_retries_run_out(self):
        send, _ = scripted(ConnectionResetError("lost"), (503, {}, {"message": "Service Unavailable"}), (502, {}, {}))
        with mock.patch("time.sleep") as slept:
            with self.assertRaises(ServiceUnavailable) as failed:
                Client("http://api", "t", max_retries=2, first_backoff=0.5, send=send).get("j1")

        self.assertEqual([mock.call(0.5), mock.call(1.0)], slept.call_args_list)
        self.assertEqual(502, failed.exception.status)

    def test_a_refusal_is_not_retried_and_carries_the_stable_code(self):
        send, requests = scripted((400, {}, {"code": "PATH_ABSOLUTE", "detail": "files: /etc/x"}))

        with self.assertRaises(InvalidRequest) as refused:
            Client("http://api", "t", send=send).submit({"/etc/x": ""}, command="true")

        self.assertEqual("PATH_ABSOLUTE", refused.exception.code)
        self.assertEqual(1, len(requests))

    def test_a_quota_kept_full_ends_as_quota_exceeded(self):
        send, _ = scripted(*[(429, {"retry-after": "1"}, {"code": "QUOTA_EXCEEDED"})] * 2)
        with mock.patch("time.sleep"):
            with self.assertRaises(QuotaExceeded):
                Client("http://api", "t", max_retries=1, send=send).submit({}, command="true")

    def test_with_iam_every_api_request_is_sigv4_signed_and_a_presigned_download_is_not(self):
        results = {"jobId": "j1", "status": "SUCCEEDED", "results": [{"path": "results/a.bin", "url": "https://bucket/a?X-Amz-Signature=x"}]}
        send, requests = scripted((200, {}, results), (200, {}, {}))
        client = Client("https://api.example.com", iam=True, region="eu-west-1", credentials=Credentials("AKID", "secret"), send=send)

        import tempfile
        with tempfile.TemporaryDirectory() as dest:
            client.download_results("j1", dest)

        self.assertTrue(requests[0][2]["authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKID/"), requests[0][2])
        self.assertIn("/eu-west-1/execute-api/aws4_request", requests[0][2]["authorization"])
        self.assertNotIn("Authorization", requests[0][2], "no bearer token beside the signature")
        self.assertEqual({}, requests[1][2], "the link's own signature is enough")

    def test_binary_files_go_as_base64_and_text_as_text(self):
        send, requests = scripted((202, {}, {"jobId": "j1", "status": "QUEUED"}))
        Client("http://api", "t", send=send).submit({"a.txt": "é", "b.bin": b"\xff\x00", "c.txt": b"plain"}, command="true")

        files = json.loads(requests[0][3])["files"]
        self.assertEqual({"a.txt": "é", "b.bin": {"content": "/wA=", "encoding": "base64"}, "c.txt": "plain"}, files)


if __name__ == "__main__":
    unittest.main()
