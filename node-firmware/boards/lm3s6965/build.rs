//! Writes `memory.x` (from `memory.x.in`) where the linker finds it, links with cortex-m-rt's
//! script, and embeds the bytecode module named by `NANOLAMBDA_MODULE` (a
//! `.nlbc` file from `nanolambda compile`) and the event in
//! `NANOLAMBDA_EVENT` (JSON) into the image.
use std::{env, fs, path::PathBuf};

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").unwrap_or_default());
    // `NANOLAMBDA_FLASH_KIB` enlarges the flash region for *measuring* an
    // image that does not fit the chip yet (`size.sh`); such an image cannot
    // run on a real LM3S6965.
    let memory = fs::read_to_string("memory.x.in").unwrap_or_default();
    let memory = match env::var("NANOLAMBDA_FLASH_KIB") {
        Ok(kib) if kib.chars().all(|c| c.is_ascii_digit()) && !kib.is_empty() => {
            memory.replace("LENGTH = 256K", &format!("LENGTH = {kib}K"))
        }
        _ => memory,
    };
    let _ = fs::write(out.join("memory.x"), memory);
    let module = env::var_os("NANOLAMBDA_MODULE")
        .and_then(|p| fs::read(p).ok())
        .unwrap_or_default();
    let _ = fs::write(out.join("module.nlbc"), module);
    let event = env::var("NANOLAMBDA_EVENT").unwrap_or_else(|_| "{}".into());
    let _ = fs::write(out.join("event.json"), event);
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo:rerun-if-changed=memory.x.in");
    println!("cargo:rerun-if-env-changed=NANOLAMBDA_MODULE");
    println!("cargo:rerun-if-env-changed=NANOLAMBDA_EVENT");
    println!("cargo:rerun-if-env-changed=NANOLAMBDA_FLASH_KIB");
    if let Some(p) = env::var_os("NANOLAMBDA_MODULE") {
        println!("cargo:rerun-if-changed={}", PathBuf::from(p).display());
    }
    // Only the device image links with cortex-m-rt's script; the library's
    // host tests link normally.
    if env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("arm") {
        println!("cargo:rustc-link-arg-bins=-Tlink.x");
    }
}
