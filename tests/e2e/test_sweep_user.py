"""A user's first hour with a real `nanolambda up` node: what the sweep of
untested scenarios found broken, each checked with the tool a user would
use (boto3, the aws CLI, coap-client, the `nanolambda` CLI)."""

import io
import json
import os
import shutil
import subprocess
import zipfile

import pytest

from conftest import BIN, make_zip

COAP_CLIENT = shutil.which("coap-client-notls") or shutil.which("coap-client")
HANDLER = "def handler(event, context):\n    return event\n"


def cli(*args, timeout=60, **kw):
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, timeout=timeout, **kw)


def shell(cmd, timeout=60):
    """Run `cmd` under bash with pipefail off (as a user's pipe would)."""
    return subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, timeout=timeout)


# --- the CLI --------------------------------------------------------------


def test_output_piped_to_head_ends_quietly(tmp_path):
    """`nanolambda compile --disasm X.py | head` panicked with "failed
    printing to stdout: Broken pipe"; a closed pipe now ends the command
    quietly, as it does any Unix tool."""
    src = tmp_path / "big.py"
    body = "\n".join(f"    x{i} = {i} * 2 + x{i - 1 if i else 0}" for i in range(3000))
    src.write_text(f"def handler(event, context):\n    x0 = 0\n{body}\n    return 1\n")
    r = shell(f"'{BIN}' compile --disasm '{src}' -o '{tmp_path}/o.nlbc' | head -3")
    assert r.returncode == 0
    assert len(r.stdout.splitlines()) == 3
    assert "panic" not in r.stderr and "Broken pipe" not in r.stderr, r.stderr
    r = shell(f"'{BIN}' --help | head -1")
    assert "panic" not in r.stderr, r.stderr
    r = shell(f"'{BIN}' demo --nodes 3 | head -2")
    assert "panic" not in r.stderr and "Broken pipe" not in r.stderr, r.stderr


def test_cli_errors_are_one_line_without_backtrace(tmp_path):
    env = dict(os.environ, RUST_BACKTRACE="1")
    for args in (
        ["run", str(tmp_path / "missing.py")],
        ["invoke", "f", "--payload", "{bad", "--coap", "127.0.0.1:9"],
        ["functions", "--coap", "no-such-host.invalid:5683"],
        ["invoke", "f", "--coap", "127.0.0.1"],
        ["compile", str(tmp_path / "nope.py")],
    ):
        r = cli(*args, env=env)
        assert r.returncode == 2, (args, r.returncode, r.stderr)
        lines = [l for l in r.stderr.splitlines() if l.strip()]
        assert len(lines) == 1, (args, r.stderr)
        assert lines[0].startswith("nanolambda: error: "), (args, r.stderr)
        assert "Stack backtrace" not in r.stderr and "panicked" not in r.stderr


def test_up_on_a_taken_port_fails_cleanly(node, tmp_path):
    """A taken HTTP port made `nanolambda up` panic ("there is no reactor
    running") while tearing down the half-started node, before printing
    the error."""
    for args in (["--http", f"127.0.0.1:{node.http_port}", "--coap", "127.0.0.1:0"],
                 ["--http", "127.0.0.1:0", "--coap", f"127.0.0.1:{node.coap_port}"]):
        r = cli("up", *args, "--data", str(tmp_path / "d"), env=dict(os.environ, RUST_BACKTRACE="1"))
        assert r.returncode == 2, r.stderr
        assert "panicked" not in r.stderr, r.stderr
        assert "Address already in use" in r.stderr.splitlines()[-1], r.stderr
    assert node.alive()


def test_demo_refuses_a_size_out_of_range():
    r = cli("demo", "--nodes", "1")
    assert r.returncode == 2 and "3..=32" in r.stderr, r.stderr


def test_cli_invoke_with_a_qualifier(node, lam, create):
    """`nanolambda invoke name:qualifier` (as its help says) failed with
    "invalid request: BadCharacter"."""
    name = create(files={"lambda_function.py": "def handler(e, c):\n    return c.function_version\n"})
    lam.publish_version(FunctionName=name)
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
    coap = f"127.0.0.1:{node.coap_port}"
    for qualified, version in ((f"{name}:1", "1"), (f"{name}:live", "1"), (f"{name}:$LATEST", "$LATEST")):
        r = cli("invoke", qualified, "--coap", coap)
        assert r.returncode == 0, (qualified, r.stderr)
        assert json.loads(r.stdout) == version
    r = cli("invoke", f"{name}:nope", "--coap", coap)
    assert r.returncode == 2 and "4.04" in r.stderr, r.stderr
    r = cli("invoke", f"{name}:bad qualifier", "--coap", coap)
    assert r.returncode == 2 and "invalid qualifier" in r.stderr, r.stderr


# --- CoAP discovery ---------------------------------------------------------


@pytest.mark.skipif(COAP_CLIENT is None, reason="coap-client-notls is not installed")
def test_well_known_core_filters(node, create):
    """RFC 6690 filter queries on /.well-known/core were ignored: every
    link came back whatever the query."""
    a = create(files={"lambda_function.py": HANDLER})
    b = create(files={"lambda_function.py": HANDLER})
    base = f"coap://127.0.0.1:{node.coap_port}/.well-known/core"

    def get(query):
        r = subprocess.run([COAP_CLIENT, "-B", "5", "-m", "get", f"{base}?{query}"],
                           capture_output=True, text=True, timeout=30)
        assert r.returncode == 0, r.stderr
        return r.stdout.strip()

    fns = get("rt=nanolambda.fn")
    assert f"</fn/{a}>" in fns and f"</fn/{b}>" in fns
    assert "</.well-known/core>" not in fns
    assert get("rt=nanolambda.function") == ""
    only_a = get(f"href=/fn/{a}")
    assert only_a.startswith(f"</fn/{a}>;") and f"</fn/{b}>" not in only_a
    prefix = get(f"href=/fn/{a[:-1]}*")
    assert f"</fn/{a}>" in prefix and f"</fn/{b}>" in prefix
    assert get("ct=40") == "</.well-known/core>;ct=40"


# --- packages -----------------------------------------------------------------


UTIL = "def twice(x):\n    return 2 * x\n"


@pytest.mark.parametrize("handler", ["app/main.handler", "app.main.handler"])
def test_handler_inside_a_package(lam, create, handler):
    """Lambda takes `pkg/mod.handler` and `pkg.mod.handler`; both were
    refused ("the handler must be `module.function` with a top-level
    module")."""
    files = {
        "app/__init__.py": "",
        # (`from app import util` and `import app.util` then `app.util.x`
        # need the VM to bind a submodule on its package: not yet.)
        "app/main.py": "from app.util import twice\nimport app.util as u\n"
                       "def handler(e, c):\n    return twice(e['n']) + u.twice(1)\n",
        "app/util.py": UTIL,
        "app/data.json": "{}",
        "requirements.txt": "requests\n",
    }
    name = create(files=files, handler=handler)
    r = lam.invoke(FunctionName=name, Payload=b'{"n": 20}')
    assert "FunctionError" not in r, r["Payload"].read()
    assert json.loads(r["Payload"].read()) == 42
    assert lam.get_function_configuration(FunctionName=name)["Handler"] == handler


def test_zip_r_of_a_project_with_packages_and_vendored_code(lam, tmp_path):
    """`zip -r` of a project: a top-level handler importing its own
    package (no `__init__.py`: a namespace package), next to vendored
    libraries it never imports (not compiled, so they cannot break it)."""
    proj = tmp_path / "proj"
    (proj / "helpers").mkdir(parents=True)
    (proj / "vendored_lib").mkdir()
    (proj / "lambda_function.py").write_text(
        "from helpers.maths import twice\n"
        "def handler(e, c):\n    return twice(21)\n")
    (proj / "helpers" / "maths.py").write_text(UTIL)
    (proj / "vendored_lib" / "__init__.py").write_text("this is not python = 1\n")
    (proj / "notes.txt").write_text("hi")
    out = tmp_path / "fn.zip"
    subprocess.run(["zip", "-qr", str(out), "."], cwd=proj, check=True)
    name = f"sweep-ziptree-{os.getpid()}"
    lam.create_function(FunctionName=name, Runtime="python3.12", Role="arn:aws:iam::000000000000:role/x",
                        Handler="lambda_function.handler", Code={"ZipFile": out.read_bytes()})
    try:
        r = lam.invoke(FunctionName=name)
        assert json.loads(r["Payload"].read()) == 42
    finally:
        lam.delete_function(FunctionName=name)


def test_dot_slash_entry_names(lam, create):
    """Some zip tools write `./lambda_function.py`; unzipping (as AWS does)
    makes it `lambda_function.py`, but the node said "Unable to import
    module 'lambda_function'"."""
    name = create(files={"./lambda_function.py": "import helper\ndef handler(e, c):\n    return helper.X\n",
                         "./helper.py": "X = 7\n"})
    assert json.loads(lam.invoke(FunctionName=name)["Payload"].read()) == 7


def test_zipped_folder_is_refused_with_a_hint(lam):
    """Zipping the folder instead of its contents: refused, naming the file
    it found and the handler that would work."""
    zip_bytes = make_zip({"myfn/": "", "myfn/lambda_function.py": HANDLER})
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as e:
        lam.create_function(FunctionName="sweep-folder", Runtime="python3.12", Role="r",
                            Handler="lambda_function.handler", Code={"ZipFile": zip_bytes})
    msg = e.value.response["Error"]["Message"]
    assert "myfn/lambda_function.py" in msg and "myfn/lambda_function.FUNCTION" in msg, msg
    lam.create_function(FunctionName="sweep-folder", Runtime="python3.12", Role="r",
                        Handler="myfn/lambda_function.handler", Code={"ZipFile": zip_bytes})
    try:
        r = lam.invoke(FunctionName="sweep-folder", Payload=b'{"ok": 1}')
        assert json.loads(r["Payload"].read()) == {"ok": 1}
    finally:
        lam.delete_function(FunctionName="sweep-folder")


# --- the Lambda API -------------------------------------------------------------


def test_update_code_dry_run_checks_the_package(lam, create):
    """`UpdateFunctionCode` with `DryRun` answered 200 for a zip that a real
    update refuses; it now checks the package the same way, and stores
    nothing either way."""
    name = create()
    before = lam.get_function_configuration(FunctionName=name)["CodeSha256"]
    with pytest.raises(lam.exceptions.InvalidParameterValueException):
        lam.update_function_code(FunctionName=name, ZipFile=b"not a zip", DryRun=True)
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as e:
        lam.update_function_code(FunctionName=name, DryRun=True,
                                 ZipFile=make_zip({"lambda_function.py": "def handler(:\n"}))
    assert "lambda_function.py:1:" in e.value.response["Error"]["Message"]
    ok = lam.update_function_code(FunctionName=name, DryRun=True,
                                  ZipFile=make_zip({"lambda_function.py": "def handler(e, c):\n    return 7\n"}))
    assert ok["CodeSha256"] == before
    assert lam.get_function_configuration(FunctionName=name)["CodeSha256"] == before


def test_unimplemented_operations_name_themselves(lam, create):
    name = create()
    arn = lam.get_function_configuration(FunctionName=name)["FunctionArn"]
    for call, op in (
        (lambda: lam.list_tags(Resource=arn), "ListTags"),
        (lambda: lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=2),
         "PutFunctionConcurrency"),
        (lambda: lam.get_account_settings(), "GetAccountSettings"),
        (lambda: lam.get_function_url_config(FunctionName=name), "FunctionUrlConfig"),
        (lambda: lam.add_permission(FunctionName=name, StatementId="s", Action="lambda:InvokeFunction",
                                    Principal="s3.amazonaws.com"), "AddPermission"),
    ):
        with pytest.raises(lam.exceptions.ClientError) as e:
            call()
        err = e.value.response["Error"]
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
        assert err["Code"] == "UnknownOperationException"
        assert op in err["Message"], err


def test_cli_invoke_payload_from_a_file_or_stdin(node, create, tmp_path):
    """A large event does not fit a command line (`--payload` hit "Argument
    list too long"): `--payload-file` (or `-` for stdin) sends it,
    block-wise."""
    name = create(files={"lambda_function.py": "def handler(e, c):\n    return len(e['d'])\n"})
    coap = f"127.0.0.1:{node.coap_port}"
    event = json.dumps({"d": "y" * 300_000})
    f = tmp_path / "event.json"
    f.write_text(event)
    r = cli("invoke", name, "--payload-file", str(f), "--coap", coap)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == 300_000
    r = cli("invoke", name, "--payload-file", "-", "--coap", coap, input=event)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == 300_000
    r = cli("invoke", name, "--payload-file", str(tmp_path / "missing.json"), "--coap", coap)
    assert r.returncode == 2 and "missing.json" in r.stderr, r.stderr


def test_code_location_is_a_presigned_link(node, lam, create):
    """`GET /_nanolambda/functions/NAME/code` served any function's code to
    anyone who could reach the port, with no credentials. The link
    `GetFunction` returns is now signed (as AWS's presigned S3 link is):
    it works as given, and not without or with a changed signature."""
    import urllib.error
    import urllib.request

    name = create()
    other = create()
    loc = lam.get_function(FunctionName=name)["Code"]["Location"]
    z = zipfile.ZipFile(io.BytesIO(urllib.request.urlopen(loc).read()))
    assert "lambda_function.py" in z.namelist()
    bare = f"{node.url}/_nanolambda/functions/{name}/code"
    other_loc = lam.get_function(FunctionName=other)["Code"]["Location"]
    stolen = other_loc.replace(f"/functions/{other}/", f"/functions/{name}/")
    tampered = loc[:-4] + ("0000" if not loc.endswith("0000") else "1111")
    for url in (bare, bare + "?Qualifier=$LATEST", stolen, tampered):
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(url)
        assert e.value.code == 403, url
        assert e.value.headers.get("x-amzn-ErrorType") == "AccessDeniedException"


@pytest.mark.skipif(COAP_CLIENT is None, reason="coap-client-notls is not installed")
def test_coap_accept_of_another_format_is_406(node, create):
    """`Accept: 60` (CBOR) on /fn/<name> got 4.15 (a Content-Format error);
    RFC 7252 answers an Accept the resource cannot serve with 4.06."""
    name = create(files={"lambda_function.py": HANDLER})
    base = f"coap://127.0.0.1:{node.coap_port}"
    r = subprocess.run([COAP_CLIENT, "-B", "5", "-m", "post", "-t", "50", "-A", "60", "-e", "{}",
                        f"{base}/fn/{name}"], capture_output=True, text=True, timeout=30)
    assert "4.06" in r.stdout + r.stderr, (r.stdout, r.stderr)
    r = subprocess.run([COAP_CLIENT, "-B", "5", "-m", "post", "-t", "50", "-A", "50", "-e", '{"a": 1}',
                        f"{base}/fn/{name}"], capture_output=True, text=True, timeout=30)
    assert json.loads(r.stdout) == {"a": 1}, (r.stdout, r.stderr)


def test_run_a_directory_with_packages_as_deployed(tmp_path):
    """`nanolambda run DIR` read only DIR's top-level files, so a handler
    importing its own package failed locally while the same zip worked on
    a node; a directory with packages is now read as its zip would be."""
    proj = tmp_path / "proj"
    (proj / "helpers").mkdir(parents=True)
    (proj / "app").mkdir()
    (proj / "lambda_function.py").write_text(
        "from helpers.maths import twice\ndef handler(e, c):\n    return twice(e['n'])\n")
    (proj / "helpers" / "maths.py").write_text(UTIL)
    (proj / "app" / "__init__.py").write_text("")
    (proj / "app" / "main.py").write_text(
        "import helpers.maths as m\ndef handler(e, c):\n    return m.twice(100)\n")
    r = cli("run", str(proj), "--event", '{"n": 21}')
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == 42
    r = cli("run", str(proj), "--entry", "app.main")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == 200
    r = cli("run", str(proj), "--entry", "app.nope")
    assert r.returncode == 2 and "app/nope.py" in r.stderr, r.stderr


def test_list_functions_all_versions(lam, create):
    """`ListFunctions(FunctionVersion="ALL")` listed only `$LATEST`s, and
    `PublishVersion` with nothing changed published a duplicate version."""
    name = create()
    lam.publish_version(FunctionName=name)
    again = lam.publish_version(FunctionName=name, Description="again")  # nothing changed
    assert again["Version"] == "1"
    lam.update_function_configuration(FunctionName=name, Timeout=5)
    lam.publish_version(FunctionName=name)
    seen = []
    for page in lam.get_paginator("list_functions").paginate(FunctionVersion="ALL"):
        seen += [(f["FunctionName"], f["Version"]) for f in page["Functions"] if f["FunctionName"] == name]
    assert seen == [(name, "$LATEST"), (name, "1"), (name, "2")], seen
    plain = [f for f in lam.list_functions()["Functions"] if f["FunctionName"] == name]
    assert [f["Version"] for f in plain] == ["$LATEST"]
