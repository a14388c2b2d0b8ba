"""S3 throughput of a running node next to the raw disk, in the same run
(driven by benches/s3_bench.sh). Large objects: curl PUT (-T, streamed) and
GET of 64 MiB, signed with SigV4 (payload SHA-256, as SDKs sign over HTTP,
and UNSIGNED-PAYLOAD, as they sign over HTTPS). Small objects: wrk with a
signed GET / PUT of a 4 KiB object. Raw disk: dd write with fsync and O_DIRECT
read of a 64 MiB file in the node's data directory (the page-cache read of
the same file is printed too; GETs of a just-written object mostly hit the
page cache)."""

import argparse
import datetime
import hashlib
import hmac
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

REGION = "us-east-1"
MIB = 1 << 20


def sign(method, host, path, payload_hash, extra=None):
    amz_date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    headers = {"host": host, "x-amz-date": amz_date, "x-amz-content-sha256": payload_hash, **(extra or {})}
    names = sorted(headers)
    canonical = "\n".join([method, path, "", "".join(f"{n}:{headers[n]}\n" for n in names),
                           ";".join(names), payload_hash])
    scope = f"{amz_date[:8]}/{REGION}/s3/aws4_request"
    sts = f"AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    key = ("AWS4" + "test").encode()
    for part in (amz_date[:8], REGION, "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    sig = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = (f"AWS4-HMAC-SHA256 Credential=test/{scope}, "
                                f"SignedHeaders={';'.join(names)}, Signature={sig}")
    del headers["host"]
    return headers


def curl(method, url, headers, upload=None):
    args = ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{time_total}", "-X", method]
    for k, v in headers.items():
        args += ["-H", f"{k}: {v}"]
    if upload:
        args += ["-T", upload]
    out = subprocess.run(args + [url], capture_output=True, text=True, check=True).stdout.split()
    if out[0] not in ("200", "206"):
        sys.exit(f"{method} {url}: HTTP {out[0]}")
    return float(out[1])


def dd(args):
    r = subprocess.run(["dd", *args], capture_output=True, text=True, check=True)
    m = re.search(r"copied, ([\d.]+) s", r.stderr)
    return float(m.group(1))


def wrk(url, headers, secs, script=None):
    args = ["wrk", "-t2", "-c8", f"-d{secs}s", "--latency"]
    for k, v in headers.items():
        args += ["-H", f"{k}: {v}"]
    if script:
        args += ["-s", script]
    out = subprocess.run(args + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        sys.exit(f"wrk got {non2xx.group(1)} error responses:\n{out}")
    p50 = re.search(r"50%\s+(\S+)", out).group(1)
    return rps, p50


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--data", required=True, help="the node's data dir (raw disk test goes there)")
    ap.add_argument("--secs", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    host = a.url.split("//", 1)[1]
    bucket = "bench"
    h = sign("PUT", host, f"/{bucket}", hashlib.sha256(b"").hexdigest())
    req = urllib.request.Request(f"{a.url}/{bucket}", method="PUT", headers=h)
    urllib.request.urlopen(req).read()

    big = os.path.join(a.data, "bench-64m.bin")
    with open(big, "wb") as f:
        for _ in range(64):
            f.write(os.urandom(MIB))
    big_sha = hashlib.sha256(open(big, "rb").read()).hexdigest()
    size_mib = 64

    raw_w, raw_r, cached_r, put_s, put_u, get_l = [], [], [], [], [], []
    for i in range(a.rounds):
        raw = os.path.join(a.data, "raw.bin")
        raw_w.append(size_mib / dd(["if=" + big, "of=" + raw, "bs=1M", "conv=fsync"]))
        raw_r.append(size_mib / dd(["if=" + raw, "of=/dev/null", "bs=1M", "iflag=direct"]))
        cached_r.append(size_mib / dd(["if=" + raw, "of=/dev/null", "bs=1M"]))
        os.remove(raw)
        path = f"/{bucket}/big"
        put_s.append(size_mib / curl("PUT", a.url + path, sign("PUT", host, path, big_sha), big))
        put_u.append(size_mib / curl("PUT", a.url + path, sign("PUT", host, path, "UNSIGNED-PAYLOAD"), big))
        get_l.append(size_mib / curl("GET", a.url + path, sign("GET", host, path, "UNSIGNED-PAYLOAD")))
    med = lambda xs: sorted(xs)[len(xs) // 2]

    small = os.urandom(4096)
    spath = f"/{bucket}/small"
    small_sha = hashlib.sha256(small).hexdigest()
    put_headers = sign("PUT", host, spath, small_sha)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        body = "".join(f"\\{b:03d}" for b in small)
        lua.write(f'wrk.method = "PUT"\nwrk.body = "{body}"\n')
    put_rps, put_p50 = wrk(a.url + spath, put_headers, a.secs, lua.name)
    os.unlink(lua.name)
    get_rps, get_p50 = wrk(a.url + spath, sign("GET", host, spath, hashlib.sha256(b"").hexdigest()), a.secs)

    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print(f"{'64 MiB objects (median of %d)' % a.rounds:<44} {'MiB/s':>8} {'% of raw':>9}")
    print(f"{'raw disk write (dd, fsync)':<44} {med(raw_w):>8.0f} {100:>8}%")
    print(f"{'PutObject, payload SHA-256 signed (HTTP SDKs)':<44} {med(put_s):>8.0f} {100 * med(put_s) / med(raw_w):>8.0f}%")
    print(f"{'PutObject, UNSIGNED-PAYLOAD (HTTPS SDKs)':<44} {med(put_u):>8.0f} {100 * med(put_u) / med(raw_w):>8.0f}%")
    print(f"{'raw disk read (dd, O_DIRECT)':<44} {med(raw_r):>8.0f} {100:>8}%")
    print(f"{'  (same file from the page cache)':<44} {med(cached_r):>8.0f}")
    print(f"{'GetObject':<44} {med(get_l):>8.0f} {100 * med(get_l) / med(raw_r):>8.0f}%")
    print(f"4 KiB objects (wrk, 2 threads, 8 connections, {a.secs} s)")
    print(f"  GetObject  {get_rps:>9.0f} req/s  p50 {get_p50}")
    print(f"  PutObject  {put_rps:>9.0f} req/s  p50 {put_p50}  (each one fsynced + committed)")


if __name__ == "__main__":
    main()
