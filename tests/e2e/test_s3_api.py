"""The S3 API of a node with boto3, the aws CLI and hand-signed requests:
buckets, objects, listings, multipart, checksums, aws-chunked bodies, SigV4
(header and presigned, wrong secret, expiry), bad input, notifications."""

import base64
import datetime
import hashlib
import hmac
import http.client
import json
import os
import subprocess
import time
import urllib.parse
import urllib.request
import zlib

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import make_zip

REGION = "us-east-1"


def client(node, secret="test", key="test", **cfg):
    return boto3.client(
        "s3", endpoint_url=node.url, region_name=REGION,
        aws_access_key_id=key, aws_secret_access_key=secret,
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"},
                      retries={"max_attempts": 1, "mode": "standard"}, **cfg))


@pytest.fixture(scope="module")
def s3(node):
    return client(node)


@pytest.fixture
def bucket(s3, request):
    name = "t-" + "".join(c if c.isalnum() else "-" for c in request.node.name.lower())[:40].strip("-")
    s3.create_bucket(Bucket=name)
    yield name
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=name):
        for o in page.get("Contents", []):
            s3.delete_object(Bucket=name, Key=o["Key"])
    for u in s3.list_multipart_uploads(Bucket=name).get("Uploads", []):
        s3.abort_multipart_upload(Bucket=name, Key=u["Key"], UploadId=u["UploadId"])
    s3.delete_bucket(Bucket=name)


def code(e):
    return e.value.response["Error"]["Code"], e.value.response["ResponseMetadata"]["HTTPStatusCode"]


# ---- a small independent SigV4 signer, for requests boto3 cannot make ----

def _hmac(key, msg):
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def signing_key(secret, date):
    k = _hmac(("AWS4" + secret).encode(), date)
    for part in (REGION, "s3", "aws4_request"):
        k = _hmac(k, part)
    return k


def sign(method, path, query, headers, payload_hash, secret="test", key="test"):
    """Add x-amz-date, x-amz-content-sha256 and Authorization to headers;
    returns (headers, seed signature, amz_date, scope)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    date = amz_date[:8]
    headers = dict(headers, **{"x-amz-date": amz_date, "x-amz-content-sha256": payload_hash})
    names = sorted(h.lower() for h in headers)
    lower = {k.lower(): str(v).strip() for k, v in headers.items()}
    canonical_query = "&".join(sorted(
        f"{urllib.parse.quote(k, safe='-_.~')}={urllib.parse.quote(v, safe='-_.~')}"
        for k, v in urllib.parse.parse_qsl(query, keep_blank_values=True)))
    canonical = "\n".join([method, path, canonical_query,
                           "".join(f"{n}:{lower[n]}\n" for n in names), ";".join(names), payload_hash])
    scope = f"{date}/{REGION}/s3/aws4_request"
    sts = f"AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    sig = hmac.new(signing_key(secret, date), sts.encode(), hashlib.sha256).hexdigest()
    headers["Authorization"] = (f"AWS4-HMAC-SHA256 Credential={key}/{scope}, "
                                f"SignedHeaders={';'.join(names)}, Signature={sig}")
    return headers, sig, amz_date, scope


def raw(node, method, path, body=b"", query="", headers=None, payload_hash=None, secret="test"):
    """A hand-signed request; returns (status, headers, body)."""
    headers = dict(headers or {}, Host=f"127.0.0.1:{node.http_port}")
    headers.setdefault("Content-Length", str(len(body)))
    ph = payload_hash or hashlib.sha256(body).hexdigest()
    headers, *_ = sign(method, path, query, headers, ph, secret=secret)
    conn = http.client.HTTPConnection("127.0.0.1", node.http_port, timeout=30)
    conn.request(method, path + (f"?{query}" if query else ""), body=body, headers=headers)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, dict(r.getheaders()), data


def crc32_b64(data):
    return base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()


def healthy(node):
    return urllib.request.urlopen(node.url + "/_nanolambda/health", timeout=5).status == 200


# ---- buckets ----

def test_bucket_lifecycle_and_errors(s3, node):
    s3.create_bucket(Bucket="life-cycle")
    assert "life-cycle" in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    s3.head_bucket(Bucket="life-cycle")
    assert s3.get_bucket_location(Bucket="life-cycle")["LocationConstraint"] is None
    assert "Status" not in s3.get_bucket_versioning(Bucket="life-cycle")
    with pytest.raises(ClientError) as e:
        s3.create_bucket(Bucket="life-cycle")
    assert code(e) == ("BucketAlreadyOwnedByYou", 409)
    s3.put_object(Bucket="life-cycle", Key="k", Body=b"x")
    with pytest.raises(ClientError) as e:
        s3.delete_bucket(Bucket="life-cycle")
    assert code(e) == ("BucketNotEmpty", 409)
    s3.delete_object(Bucket="life-cycle", Key="k")
    s3.delete_bucket(Bucket="life-cycle")
    with pytest.raises(ClientError) as e:
        s3.head_bucket(Bucket="life-cycle")
    assert code(e)[1] == 404
    with pytest.raises(ClientError) as e:
        s3.list_objects_v2(Bucket="life-cycle")
    assert code(e) == ("NoSuchBucket", 404)
    for bad in ["ab", "Bad_Name", "-lead", "a" * 64, "192.168.0.1"]:
        with pytest.raises(ClientError) as e:
            s3.create_bucket(Bucket=bad)
        assert code(e) == ("InvalidBucketName", 400), bad
    assert healthy(node)


# ---- objects ----

def test_put_get_head_metadata_and_etag(s3, bucket):
    body = b"hello, sensor"
    r = s3.put_object(Bucket=bucket, Key="dir/a b+c.txt", Body=body, ContentType="text/plain",
                      Metadata={"Sensor": "t1"}, ContentDisposition="inline")
    assert r["ETag"] == f'"{hashlib.md5(body).hexdigest()}"'
    g = s3.get_object(Bucket=bucket, Key="dir/a b+c.txt")
    assert g["Body"].read() == body
    assert g["ContentType"] == "text/plain"
    assert g["Metadata"] == {"sensor": "t1"}
    assert g["ContentDisposition"] == "inline"
    assert g["ETag"] == r["ETag"]
    h = s3.head_object(Bucket=bucket, Key="dir/a b+c.txt")
    assert h["ContentLength"] == len(body) and h["ETag"] == r["ETag"]
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="missing")
    assert code(e) == ("NoSuchKey", 404)
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="missing")
    assert code(e)[1] == 404
    s3.put_object(Bucket=bucket, Key="empty", Body=b"")
    assert s3.get_object(Bucket=bucket, Key="empty")["Body"].read() == b""


def test_ranges_and_conditionals(s3, bucket):
    data = bytes(range(256)) * 4
    etag = s3.put_object(Bucket=bucket, Key="r", Body=data)["ETag"]
    g = s3.get_object(Bucket=bucket, Key="r", Range="bytes=10-19")
    assert g["Body"].read() == data[10:20]
    assert g["ContentRange"] == f"bytes 10-19/{len(data)}"
    assert g["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert s3.get_object(Bucket=bucket, Key="r", Range="bytes=-5")["Body"].read() == data[-5:]
    assert s3.get_object(Bucket=bucket, Key="r", Range="bytes=1000-")["Body"].read() == data[1000:]
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="r", Range=f"bytes={len(data)}-")
    assert code(e) == ("InvalidRange", 416)
    # A malformed range is ignored, as S3 does.
    assert s3.get_object(Bucket=bucket, Key="r", Range="bytes=x-y")["Body"].read() == data
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="r", IfNoneMatch=etag)
    assert code(e)[1] == 304
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="r", IfMatch='"0000"')
    assert code(e) == ("PreconditionFailed", 412)
    assert s3.get_object(Bucket=bucket, Key="r", IfMatch=etag)["Body"].read() == data
    past = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="r", IfUnmodifiedSince=past)
    assert code(e) == ("PreconditionFailed", 412)
    future = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="r", IfModifiedSince=future)
    assert code(e)[1] == 304


def test_listing_v2_v1_versions_with_pagination(s3, bucket):
    keys = ["a/1", "a/2", "a/b/3", "b", "c d", "c+e"]
    for k in keys:
        s3.put_object(Bucket=bucket, Key=k, Body=k.encode())
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == sorted(keys)
    r = s3.list_objects_v2(Bucket=bucket, Delimiter="/")
    assert [p["Prefix"] for p in r["CommonPrefixes"]] == ["a/"]
    assert [o["Key"] for o in r["Contents"]] == ["b", "c d", "c+e"]
    r = s3.list_objects_v2(Bucket=bucket, Prefix="a/", Delimiter="/")
    assert [o["Key"] for o in r["Contents"]] == ["a/1", "a/2"]
    assert [p["Prefix"] for p in r["CommonPrefixes"]] == ["a/b/"]
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, StartAfter="b")["Contents"]] == ["c d", "c+e"]
    seen = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, PaginationConfig={"PageSize": 2}):
        assert page["KeyCount"] <= 2
        seen += [o["Key"] for o in page.get("Contents", [])]
    assert seen == sorted(keys)
    seen = []
    for page in s3.get_paginator("list_objects").paginate(Bucket=bucket, PaginationConfig={"PageSize": 2}):
        seen += [o["Key"] for o in page.get("Contents", [])]
    assert seen == sorted(keys)
    seen = []
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket, PaginationConfig={"PageSize": 4}):
        for v in page.get("Versions", []):
            assert v["VersionId"] == "null" and v["IsLatest"]
            seen.append(v["Key"])
    assert seen == sorted(keys)
    assert s3.list_objects_v2(Bucket=bucket, MaxKeys=0)["KeyCount"] == 0


def test_copy_delete_objects_and_versioning_compat(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"copy me", Metadata={"m": "1"})
    r = s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"})
    assert r["CopyObjectResult"]["ETag"] == f'"{hashlib.md5(b"copy me").hexdigest()}"'
    g = s3.get_object(Bucket=bucket, Key="dst")
    assert g["Body"].read() == b"copy me" and g["Metadata"] == {"m": "1"}
    s3.copy_object(Bucket=bucket, Key="dst2", CopySource=f"{bucket}/src", MetadataDirective="REPLACE",
                   Metadata={"n": "2"}, ContentType="text/x")
    g = s3.head_object(Bucket=bucket, Key="dst2")
    assert g["Metadata"] == {"n": "2"} and g["ContentType"] == "text/x"
    r = s3.delete_objects(Bucket=bucket, BypassGovernanceRetention=True, Delete={"Objects": [
        {"Key": "src"}, {"Key": "dst", "VersionId": "null"}, {"Key": "never-existed"}]})
    assert sorted(d["Key"] for d in r["Deleted"]) == ["dst", "never-existed", "src"]
    s3.delete_object(Bucket=bucket, Key="dst2", VersionId="null", BypassGovernanceRetention=True)
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)
    with pytest.raises(ClientError) as e:
        s3.copy_object(Bucket=bucket, Key="x", CopySource={"Bucket": bucket, "Key": "gone"})
    assert code(e) == ("NoSuchKey", 404)


def test_multipart_etag_list_and_abort(s3, bucket):
    part1 = os.urandom(5 * 1024 * 1024)
    part2 = b"tail"
    up = s3.create_multipart_upload(Bucket=bucket, Key="mp", ContentType="application/x-mp")
    uid = up["UploadId"]
    assert [u["UploadId"] for u in s3.list_multipart_uploads(Bucket=bucket)["Uploads"]] == [uid]
    e1 = s3.upload_part(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=1, Body=part1)["ETag"]
    e2 = s3.upload_part(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=2, Body=part2)["ETag"]
    parts = s3.list_parts(Bucket=bucket, Key="mp", UploadId=uid)["Parts"]
    assert [(p["PartNumber"], p["Size"]) for p in parts] == [(1, len(part1)), (2, 4)]
    with pytest.raises(ClientError) as e:
        s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=uid, MultipartUpload={
            "Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": '"deadbeef"'}]})
    assert code(e) == ("InvalidPart", 400)
    r = s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=uid, MultipartUpload={
        "Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]})
    want = hashlib.md5(hashlib.md5(part1).digest() + hashlib.md5(part2).digest()).hexdigest() + "-2"
    assert r["ETag"] == f'"{want}"'
    g = s3.get_object(Bucket=bucket, Key="mp")
    assert g["ContentType"] == "application/x-mp"
    assert hashlib.md5(g["Body"].read()).hexdigest() == hashlib.md5(part1 + part2).hexdigest()
    up2 = s3.create_multipart_upload(Bucket=bucket, Key="ab")["UploadId"]
    s3.abort_multipart_upload(Bucket=bucket, Key="ab", UploadId=up2)
    with pytest.raises(ClientError) as e:
        s3.upload_part(Bucket=bucket, Key="ab", UploadId=up2, PartNumber=1, Body=b"x")
    assert code(e) == ("NoSuchUpload", 404)


# ---- checksums and bodies ----

def crc32c_b64(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return base64.b64encode((crc ^ 0xFFFFFFFF).to_bytes(4, "big")).decode()


@pytest.mark.parametrize("algorithm", ["CRC32", "CRC32C", "SHA1", "SHA256"])
def test_flexible_checksums_are_verified_and_returned(s3, bucket, algorithm):
    if algorithm == "CRC32C":  # botocore needs awscrt to compute it: send it precomputed
        r = s3.put_object(Bucket=bucket, Key="c", Body=b"checked body",
                          ChecksumCRC32C=crc32c_b64(b"checked body"))
    else:
        r = s3.put_object(Bucket=bucket, Key="c", Body=b"checked body", ChecksumAlgorithm=algorithm)
    value = r[f"Checksum{algorithm}"]
    if algorithm == "CRC32C":
        assert value == crc32c_b64(b"checked body")
        return
    g = s3.get_object(Bucket=bucket, Key="c", ChecksumMode="ENABLED")
    assert g["Body"].read() == b"checked body"
    assert g[f"Checksum{algorithm}"] == value


def test_checksum_and_md5_mismatches(s3, bucket, node):
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="bad", Body=b"data", ChecksumCRC32="AAAAAA==")
    assert code(e) == ("BadDigest", 400)
    wrong_md5 = base64.b64encode(hashlib.md5(b"other").digest()).decode()
    status, _, body = raw(node, "PUT", f"/{bucket}/bad", b"data", headers={"Content-MD5": wrong_md5})
    assert status == 400 and b"<Code>BadDigest</Code>" in body
    status, _, body = raw(node, "PUT", f"/{bucket}/bad", b"data", payload_hash="0" * 64)
    assert status == 400 and b"XAmzContentSHA256Mismatch" in body
    with pytest.raises(ClientError):
        s3.head_object(Bucket=bucket, Key="bad")
    assert healthy(node)


def chunked_unsigned(parts, trailer_value):
    out = b"".join(f"{len(p):x}\r\n".encode() + p + b"\r\n" for p in parts)
    return out + b"0\r\n" + f"x-amz-checksum-crc32:{trailer_value}\r\n\r\n".encode()


def test_aws_chunked_unsigned_payload_trailer(s3, bucket, node):
    parts = [os.urandom(70000), os.urandom(1000)]
    data = b"".join(parts)
    body = chunked_unsigned(parts, crc32_b64(data))
    headers = {"Content-Encoding": "aws-chunked", "x-amz-decoded-content-length": str(len(data)),
               "x-amz-trailer": "x-amz-checksum-crc32"}
    status, h, resp = raw(node, "PUT", f"/{bucket}/chunked", body, headers=headers,
                          payload_hash="STREAMING-UNSIGNED-PAYLOAD-TRAILER")
    assert status == 200, resp
    assert h["x-amz-checksum-crc32"] == crc32_b64(data)
    g = s3.get_object(Bucket=bucket, Key="chunked")
    assert g["Body"].read() == data
    assert "ContentEncoding" not in g
    # Wrong trailer checksum.
    status, _, resp = raw(node, "PUT", f"/{bucket}/chunked2", chunked_unsigned(parts, "AAAAAA=="),
                          headers=headers, payload_hash="STREAMING-UNSIGNED-PAYLOAD-TRAILER")
    assert status == 400 and b"BadDigest" in resp
    # Truncated: the chunk encoding breaks off before the final chunk.
    cut = body[:5000]
    status, _, resp = raw(node, "PUT", f"/{bucket}/chunked3", cut, headers=headers,
                          payload_hash="STREAMING-UNSIGNED-PAYLOAD-TRAILER")
    assert status == 400 and b"IncompleteBody" in resp, resp
    # Garbage chunk header.
    status, _, resp = raw(node, "PUT", f"/{bucket}/chunked4", b"zz\r\nhello\r\n", headers=headers,
                          payload_hash="STREAMING-UNSIGNED-PAYLOAD-TRAILER")
    assert status == 400 and b"InvalidRequest" in resp
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["chunked"]
    assert healthy(node)


def test_aws_chunked_signed_chunks(s3, bucket, node):
    chunks = [b"a" * 65536, b"b" * 1024, b""]
    data = b"".join(chunks)
    headers = {"Host": f"127.0.0.1:{node.http_port}", "Content-Encoding": "aws-chunked",
               "x-amz-decoded-content-length": str(len(data))}

    def body_for(tamper=False):
        hdrs, seed, amz_date, scope = sign("PUT", f"/{bucket}/signed", "", dict(headers),
                                           "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
        key = signing_key("test", amz_date[:8])
        prev, out = seed, b""
        for c in chunks:
            sts = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", amz_date, scope, prev,
                             hashlib.sha256(b"").hexdigest(), hashlib.sha256(c).hexdigest()])
            prev = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
            payload = (b"X" + c[1:]) if (tamper and c) else c
            out += f"{len(c):x};chunk-signature={prev}\r\n".encode() + payload + b"\r\n"
        hdrs["Content-Length"] = str(len(out))
        return hdrs, out

    for tamper, want in [(False, 200), (True, 403)]:
        hdrs, out = body_for(tamper)
        conn = http.client.HTTPConnection("127.0.0.1", node.http_port, timeout=30)
        conn.request("PUT", f"/{bucket}/signed", body=out, headers=hdrs)
        r = conn.getresponse()
        resp = r.read()
        conn.close()
        assert r.status == want, resp
    assert s3.get_object(Bucket=bucket, Key="signed")["Body"].read() == data


# ---- authentication ----

def test_wrong_secret_unknown_key_and_unsigned(node, bucket):
    with pytest.raises(ClientError) as e:
        client(node, secret="wrong").list_objects_v2(Bucket=bucket)
    assert code(e) == ("SignatureDoesNotMatch", 403)
    with pytest.raises(ClientError) as e:
        client(node, secret="wrong").put_object(Bucket=bucket, Key="x", Body=b"x")
    assert code(e) == ("SignatureDoesNotMatch", 403)
    with pytest.raises(ClientError) as e:
        client(node, key="AKIAUNKNOWN").list_objects_v2(Bucket=bucket)
    assert code(e) == ("InvalidAccessKeyId", 403)
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(f"{node.url}/{bucket}")
    assert e.value.code == 403 and b"AccessDenied" in e.value.read()


def test_presigned_get_with_curl_and_expiry(s3, bucket, node):
    s3.put_object(Bucket=bucket, Key="p q", Body=b"presigned body")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "p q"}, ExpiresIn=60)
    assert "X-Amz-Signature=" in url
    out = subprocess.run(["curl", "-sS", "-f", url], capture_output=True, check=True).stdout
    assert out == b"presigned body"
    # The default boto3 config presigns with signature version 2.
    v2 = boto3.client("s3", endpoint_url=node.url, region_name=REGION, aws_access_key_id="test",
                      aws_secret_access_key="test", config=Config(s3={"addressing_style": "path"}))
    url2 = v2.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "p q"}, ExpiresIn=60)
    assert subprocess.run(["curl", "-sS", "-f", url2], capture_output=True, check=True).stdout == out
    tampered = url.replace("X-Amz-Expires=60", "X-Amz-Expires=61")
    r = subprocess.run(["curl", "-sS", "-w", "%{http_code}", tampered], capture_output=True)
    assert r.stdout.endswith(b"403") and b"SignatureDoesNotMatch" in r.stdout
    expired = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "p q"}, ExpiresIn=1)
    time.sleep(2.2)
    r = subprocess.run(["curl", "-sS", "-w", "%{http_code}", expired], capture_output=True)
    assert r.stdout.endswith(b"403") and b"<Code>AccessDenied</Code>" in r.stdout
    assert b"expired" in r.stdout
    wrong = client(node, secret="nope").generate_presigned_url(
        "get_object", Params={"Bucket": bucket, "Key": "p q"}, ExpiresIn=60)
    r = subprocess.run(["curl", "-sS", "-w", "%{http_code}", wrong], capture_output=True)
    assert r.stdout.endswith(b"403") and b"SignatureDoesNotMatch" in r.stdout


# ---- bad input ----

def test_malformed_xml_is_refused_and_node_stays_up(s3, bucket, node):
    for doc in [b"<Delete><Object><Key>a</Key>", b"not xml", b"<Delete></Delete>",
                b"<Other><Object><Key>a</Key></Object></Other>", b"\xff\xfe<Delete/>"]:
        status, _, body = raw(node, "POST", f"/{bucket}", doc, query="delete")
        assert status == 400 and b"MalformedXML" in body, (doc, body)
    for doc in [b"<NotificationConfiguration><CloudFunctionConfiguration>",
                b"<NotificationConfiguration><CloudFunctionConfiguration><Event>s3:ObjectCreated:*</Event>"
                b"</CloudFunctionConfiguration></NotificationConfiguration>"]:
        status, _, body = raw(node, "PUT", f"/{bucket}", doc, query="notification")
        assert status == 400 and b"MalformedXML" in body, body
    status, _, body = raw(node, "POST", f"/{bucket}/k", b"<CompleteMultipartUpload>", query="uploadId=nope")
    assert status == 404 and b"NoSuchUpload" in body
    status, _, body = raw(node, "GET", f"/{bucket}", query="list-type=2&max-keys=-1")
    assert status == 400 and b"InvalidArgument" in body
    status, _, body = raw(node, "GET", f"/{bucket}", query="list-type=2&continuation-token=%%%")
    assert status == 400
    assert healthy(node)


# ---- the aws CLI ----

def aws(node, *args):
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
               AWS_DEFAULT_REGION=REGION)
    quiet = ["--only-show-errors"] if args[:2] in (("s3", "cp"), ("s3", "sync"), ("s3", "rm")) else []
    return subprocess.run(["aws", "--endpoint-url", node.url, *args, *quiet],
                          capture_output=True, text=True, env=env, timeout=300)


def md5_file(path):
    h = hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def test_aws_cli_100mb_multipart_round_trip(node, bucket, tmp_path):
    src = tmp_path / "big.bin"
    with open(src, "wb") as f:
        for _ in range(100):
            f.write(os.urandom(1 << 20))
    r = aws(node, "s3", "cp", str(src), f"s3://{bucket}/big.bin")
    assert r.returncode == 0, r.stderr
    dst = tmp_path / "back.bin"
    r = aws(node, "s3", "cp", f"s3://{bucket}/big.bin", str(dst))
    assert r.returncode == 0, r.stderr
    assert md5_file(dst) == md5_file(src)
    r = aws(node, "s3api", "head-object", "--bucket", bucket, "--key", "big.bin")
    head = json.loads(r.stdout)
    assert head["ContentLength"] == 100 * (1 << 20)
    assert head["ETag"].strip('"').endswith("-13")  # 8 MiB parts: 12 full + 1


def test_aws_cli_ls_sync_rm(node, bucket, tmp_path):
    d = tmp_path / "tree"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text("a")
    (d / "sub" / "b.txt").write_text("b")
    r = aws(node, "s3", "sync", str(d), f"s3://{bucket}/tree")
    assert r.returncode == 0, r.stderr
    r = aws(node, "s3", "ls", f"s3://{bucket}/tree/")
    assert "a.txt" in r.stdout and "PRE sub/" in r.stdout
    r = aws(node, "s3", "ls", "--recursive", f"s3://{bucket}")
    assert "tree/sub/b.txt" in r.stdout
    back = tmp_path / "back"
    assert aws(node, "s3", "sync", f"s3://{bucket}/tree", str(back)).returncode == 0
    assert (back / "sub" / "b.txt").read_text() == "b"
    r = aws(node, "s3", "rm", "--recursive", f"s3://{bucket}/tree")
    assert r.returncode == 0, r.stderr
    assert aws(node, "s3", "ls", f"s3://{bucket}/tree/").stdout == ""


# ---- notifications ----

CHECKER = """
import json

def handler(event, context):
    r = event["Records"][0]
    print("s3 event", json.dumps(r))
    assert r["eventSource"] == "aws:s3"
    assert r["s3"]["bucket"]["name"] == event_bucket(r)
    key = r["s3"]["object"]["key"]
    if r["eventName"].startswith("ObjectCreated"):
        assert key.startswith("in/") and key.endswith(".csv"), key
        assert r["s3"]["object"]["size"] == 5
        assert len(r["s3"]["object"]["eTag"]) == 32
    else:
        assert r["eventName"] == "ObjectRemoved:Delete"
    return key

def event_bucket(r):
    return r["s3"]["bucket"]["arn"].split(":::")[1]
"""


def metric(node, name, function):
    text = urllib.request.urlopen(node.url + "/_nanolambda/metrics").read().decode()
    for line in text.splitlines():
        if line.startswith(f'{name}{{function="{function}"}} '):
            return int(float(line.split()[-1]))
    return 0


def test_notifications_invoke_functions(s3, bucket, node, create):
    fn = create(files={"lambda_function.py": CHECKER})
    arn = f"arn:aws:lambda:{REGION}:000000000000:function:{fn}"
    config = {"LambdaFunctionConfigurations": [
        {"Id": "csv-in", "LambdaFunctionArn": arn, "Events": ["s3:ObjectCreated:*"],
         "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "in/"},
                                            {"Name": "suffix", "Value": ".csv"}]}}},
        {"Id": "removed", "LambdaFunctionArn": arn, "Events": ["s3:ObjectRemoved:*"]}]}
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration=config)
    got = s3.get_bucket_notification_configuration(Bucket=bucket)["LambdaFunctionConfigurations"]
    assert [c["Id"] for c in got] == ["csv-in", "removed"]
    assert got[0]["Events"] == ["s3:ObjectCreated:*"] and got[0]["LambdaFunctionArn"] == arn
    rules = {r["Name"]: r["Value"] for r in got[0]["Filter"]["Key"]["FilterRules"]}
    assert rules == {"prefix": "in/", "suffix": ".csv"}
    s3.put_object(Bucket=bucket, Key="in/a.csv", Body=b"1,2,3")   # matches
    s3.put_object(Bucket=bucket, Key="in/a.txt", Body=b"1,2,3")   # suffix differs
    s3.put_object(Bucket=bucket, Key="out/b.csv", Body=b"1,2,3")  # prefix differs
    s3.copy_object(Bucket=bucket, Key="in/c.csv", CopySource=f"{bucket}/in/a.csv")  # matches
    s3.delete_object(Bucket=bucket, Key="out/b.csv")               # removed
    deadline = time.time() + 20
    while time.time() < deadline and metric(node, "nanolambda_invocations_total", fn) < 3:
        time.sleep(0.1)
    time.sleep(1.0)
    assert metric(node, "nanolambda_invocations_total", fn) == 3
    assert metric(node, "nanolambda_errors_total", fn) == 0
    # Unknown functions and unknown events are refused.
    with pytest.raises(ClientError) as e:
        s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={
            "LambdaFunctionConfigurations": [{"LambdaFunctionArn": arn + "-missing", "Events": ["s3:ObjectCreated:*"]}]})
    assert code(e) == ("InvalidArgument", 400)
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={})
    assert "LambdaFunctionConfigurations" not in s3.get_bucket_notification_configuration(Bucket=bucket)


# ---- credentials ----

def test_credentials_from_env_file_and_the_loopback_guard(tmp_path):
    from conftest import BIN, Node, free_port
    # Default credentials on a public address: refused, with the way out.
    r = subprocess.run([str(BIN), "up", "--http", f"0.0.0.0:{free_port()}", "--data", str(tmp_path / "d0")],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode != 0
    assert "NANOLAMBDA_ACCESS_KEY_ID" in r.stderr and "credentials" in r.stderr
    # Credentials from the environment replace test/test.
    old = {k: os.environ.get(k) for k in ("NANOLAMBDA_ACCESS_KEY_ID", "NANOLAMBDA_SECRET_ACCESS_KEY")}
    os.environ.update(NANOLAMBDA_ACCESS_KEY_ID="AKIDNODE", NANOLAMBDA_SECRET_ACCESS_KEY="s3cret")
    try:
        node = Node(tmp_path / "d1").start()
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    try:
        client(node, key="AKIDNODE", secret="s3cret").create_bucket(Bucket="envcreds")
        with pytest.raises(ClientError) as e:
            client(node).list_buckets()
        assert code(e) == ("InvalidAccessKeyId", 403)
    finally:
        node.stop()
    # Credentials from the data directory's file.
    (tmp_path / "d2").mkdir()
    (tmp_path / "d2" / "credentials").write_text("# access key, secret\nAKIDFILE filesecret\n")
    node = Node(tmp_path / "d2").start()
    try:
        assert client(node, key="AKIDFILE", secret="filesecret").list_buckets()["Buckets"] == []
        with pytest.raises(ClientError) as e:
            client(node, key="AKIDFILE", secret="test").list_buckets()
        assert code(e) == ("SignatureDoesNotMatch", 403)
    finally:
        node.stop()


def test_100mb_object_streams_without_being_held_in_memory(tmp_path):
    from conftest import Node
    node = Node(tmp_path / "mem").start()
    try:
        s3 = client(node)
        s3.create_bucket(Bucket="mem")
        src = tmp_path / "100m.bin"
        with open(src, "wb") as f:
            for _ in range(100):
                f.write(os.urandom(1 << 20))
        with open(src, "rb") as f:
            s3.put_object(Bucket="mem", Key="big", Body=f)
        body = s3.get_object(Bucket="mem", Key="big")["Body"]
        h = hashlib.md5()
        for block in iter(lambda: body.read(1 << 20), b""):
            h.update(block)
        assert h.hexdigest() == md5_file(src)
        status = open(f"/proc/{node.proc.pid}/status").read()
        peak_kib = int(status.split("VmHWM:")[1].split()[0])
        assert peak_kib < 80 * 1024, f"the node peaked at {peak_kib} KiB for a 100 MiB object"
    finally:
        node.stop()
