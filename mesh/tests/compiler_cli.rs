//! `nanolambda compile`: files and package directories, output paths, the
//! size/hash line, `--disasm`, `--entry`, and exit code 2 with
//! `file:line:col: message` on stderr for compile errors.

use std::path::PathBuf;
use std::process::Command;

use nanolambda_protocol::bytecode::Module;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nanolambda-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn nanolambda() -> Command {
    Command::new(env!("CARGO_BIN_EXE_nanolambda"))
}

#[test]
fn compiles_a_file_next_to_it() {
    let dir = scratch("file");
    let src = dir.join("handler.py");
    std::fs::write(&src, "def handler(event, context):\n    return 42\n").unwrap();
    let out = nanolambda().arg("compile").arg(&src).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let bytes = std::fs::read(dir.join("handler.nlbc")).unwrap();
    let (module, hash) = Module::decode(&bytes).unwrap();
    assert_eq!(stdout.trim(), format!("{} bytes {hash}", bytes.len()));
    assert_eq!(module.table.modules.len(), 1);
}

#[test]
fn compiles_a_package_directory() {
    let dir = scratch("pkg");
    let pkg = dir.join("myfn");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("helper.py"), "def f():\n    return 1\n").unwrap();
    std::fs::write(
        pkg.join("lambda_function.py"),
        "from helper import f\ndef handler(event, context):\n    return f()\n",
    )
    .unwrap();
    let out = nanolambda()
        .arg("compile")
        .arg(&pkg)
        .arg("--disasm")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("module lambda_function (lambda_function.py)"));
    assert!(stdout.contains("[entry]"));
    let (module, _) = Module::decode(&std::fs::read(dir.join("myfn.nlbc")).unwrap()).unwrap();
    assert_eq!(module.table.modules.len(), 2);

    // --entry and -o.
    let target = dir.join("out.nlbc");
    let out = nanolambda()
        .args(["compile", "--entry", "helper", "-o"])
        .arg(&target)
        .arg(&pkg)
        .output()
        .unwrap();
    assert!(out.status.success());
    let (module, _) = Module::decode(&std::fs::read(&target).unwrap()).unwrap();
    let entry = &module.table.modules[module.table.entry as usize];
    assert_eq!(module.string(entry.name), "helper");
}

#[test]
fn compile_errors_exit_2_with_location() {
    let dir = scratch("err");
    let src = dir.join("bad.py");
    std::fs::write(&src, "def f():\n    async with x:\n        pass\n").unwrap();
    let out = nanolambda().arg("compile").arg(&src).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr
            .trim()
            .ends_with("bad.py:2:5: async with is not supported"),
        "{stderr}"
    );
    assert!(!dir.join("bad.nlbc").exists());
}

#[test]
fn invalid_utf8_is_a_located_compile_error() {
    let dir = scratch("utf8");
    let src = dir.join("bad.py");
    std::fs::write(&src, b"x = 1\ny = '\xff'\n").unwrap();
    let out = nanolambda().arg("compile").arg(&src).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr
            .trim()
            .ends_with("bad.py:2:6: source is not valid UTF-8"),
        "{stderr}"
    );
}

#[test]
fn any_file_name_compiles_as_a_single_module() {
    let dir = scratch("name");
    let src = dir.join("my-handler.py");
    std::fs::write(&src, "def handler(event, context):\n    return 1\n").unwrap();
    let out = nanolambda().arg("compile").arg(&src).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (module, _) = Module::decode(&std::fs::read(dir.join("my-handler.nlbc")).unwrap()).unwrap();
    assert_eq!(module.string(module.table.modules[0].name), "my_handler");
}
