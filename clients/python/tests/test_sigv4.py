"""SigV4 against AWS's published vectors (the signature test suite, and the S3 documentation's example)."""

import datetime
import unittest

from e2b_jobs.sigv4 import Credentials, sign

SUITE = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
SUITE_TIME = datetime.datetime(2015, 8, 30, 12, 36, tzinfo=datetime.timezone.utc)
SCOPE = "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request"


class SigV4Test(unittest.TestCase):
    def test_get_vanilla(self):
        added = sign("GET", "https://example.amazonaws.com/", {}, b"", SUITE, "us-east-1", "service", SUITE_TIME)

        self.assertEqual("20150830T123600Z", added["x-amz-date"])
        self.assertEqual("AWS4-HMAC-SHA256 " + SCOPE + ", SignedHeaders=host;x-amz-date, "
                         "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", added["authorization"])

    def test_post_x_www_form_urlencoded(self):
        added = sign("POST", "https://example.amazonaws.com/", {"Content-Type": "application/x-www-form-urlencoded"},
                     b"Param1=value1", SUITE, "us-east-1", "service", SUITE_TIME)

        self.assertTrue(added["authorization"].endswith(
            "SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"))

    def test_the_s3_documentations_get_object_example(self):
        s3 = Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
        empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

        added = sign("GET", "https://examplebucket.s3.amazonaws.com/test.txt", {"Range": "bytes=0-9", "x-amz-content-sha256": empty},
                     b"", s3, "us-east-1", "s3", datetime.datetime(2013, 5, 24, tzinfo=datetime.timezone.utc))

        self.assertTrue(added["authorization"].endswith("SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                                                        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"))

    def test_a_session_token_is_sent_and_signed(self):
        added = sign("GET", "https://example.amazonaws.com/", {}, b"", Credentials("AKIDEXAMPLE", "secret", "token"),
                     "us-east-1", "service", SUITE_TIME)

        self.assertEqual("token", added["x-amz-security-token"])
        self.assertIn("SignedHeaders=host;x-amz-date;x-amz-security-token,", added["authorization"])


if __name__ == "__main__":
    unittest.main()
