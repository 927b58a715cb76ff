"""AWS Signature Version 4 for requests to an IAM-authorized deployment (API Gateway: service execute-api), standard library only."""

import datetime
import hashlib
import hmac
import os
import urllib.parse

_UNRESERVED = "-_.~"


class Credentials:
    """An access key pair and, for temporary credentials, their session token."""

    def __init__(self, access_key, secret_key, session_token=None):
        self.access_key = access_key
        self.secret_key = secret_key
        self.session_token = session_token

    @classmethod
    def resolve(cls):
        """AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, or else botocore's resolver if botocore is installed."""
        if os.environ.get("AWS_ACCESS_KEY_ID") and os.environ.get("AWS_SECRET_ACCESS_KEY"):
            return cls(os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"], os.environ.get("AWS_SESSION_TOKEN"))
        try:
            import botocore.session  # optional: profiles, SSO, instance roles
        except ImportError:
            raise ValueError("no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or install botocore") from None
        found = botocore.session.get_session().get_credentials()
        if found is None:
            raise ValueError("no AWS credentials found by botocore")
        frozen = found.get_frozen_credentials()
        return cls(frozen.access_key, frozen.secret_key, frozen.token)


def sign(method, url, headers, body, credentials, region, service="execute-api", now=None):
    """The headers to add to a request so that AWS accepts it: x-amz-date, x-amz-security-token (if any), authorization.

    Every header given is signed, and the request's host.
    """
    now = now or datetime.datetime.now(datetime.timezone.utc)
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    parts = urllib.parse.urlsplit(url)
    added = {"x-amz-date": amz_date}
    if credentials.session_token:
        added["x-amz-security-token"] = credentials.session_token
    signed = {name.lower(): " ".join(str(value).split()) for name, value in {**headers, **added}.items()}
    signed["host"] = parts.netloc
    names = ";".join(sorted(signed))
    canonical = "\n".join([method, _path(parts.path), _query(parts.query),
                           "".join("%s:%s\n" % (name, signed[name]) for name in sorted(signed)), names,
                           hashlib.sha256(body or b"").hexdigest()])
    scope = "%s/%s/%s/aws4_request" % (amz_date[:8], region, service)
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + credentials.secret_key).encode()
    for part in (amz_date[:8], region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    added["authorization"] = "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
        credentials.access_key, scope, names, signature)
    return added


def _encode(text):
    return urllib.parse.quote(text, safe=_UNRESERVED)


def _path(path):
    """Each segment encoded once more, as every service but S3 expects of the already-encoded path."""
    return "/".join(_encode(segment) for segment in (path or "/").split("/"))


def _query(query):
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
    return "&".join("%s=%s" % (_encode(k), _encode(v)) for k, v in sorted(pairs))
