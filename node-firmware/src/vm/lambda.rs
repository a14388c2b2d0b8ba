//! The Lambda invocation contract: decode the event, build the context
//! object, import the entry module, call the handler, encode the result,
//! and map every failure to Lambda's error document.

use alloc::string::String;
use alloc::vec::Vec;

use super::heap::{Kind, fixed_words};
use super::interp::{Fatal, R, Vm};
use super::value::{Value, ty};
use super::{Host, Invocation, LambdaError, Limits, Outcome, Program, Report};

fn err(error_type: &str, error_message: String, stack_trace: Vec<String>) -> Outcome {
    Outcome::Err(LambdaError {
        error_type: String::from(error_type),
        error_message,
        stack_trace,
    })
}

/// Run one invocation of `program` in `arena`.
pub fn invoke(
    program: &Program,
    arena: &mut [u8],
    host: &mut dyn Host,
    inv: &Invocation<'_>,
    limits: &Limits,
) -> Report {
    let mut vm = Vm::new(program, arena, host, limits.fuel, limits.max_depth);
    let outcome = run(
        &mut vm,
        inv,
        limits,
        None,
        #[cfg(feature = "std")]
        None,
        #[cfg(feature = "std")]
        None,
    );
    report(&vm, limits, outcome)
}

fn report(vm: &Vm<'_, '_>, limits: &Limits, outcome: Outcome) -> Report {
    Report {
        outcome,
        fuel_used: limits.fuel.saturating_sub(vm.fuel),
        peak_arena_bytes: vm.heap.peak.saturating_mul(8).min(vm.heap.capacity() * 8),
    }
}

/// What a function's initialisation (its entry module's top level: imports,
/// clients, tables, logger setup) left in the VM, kept to start later
/// invocations from, as Lambda initialises a function once per execution
/// environment rather than once per event. Taken by [`invoke_warm`] after a
/// successful initialisation; good for the same program, environment and
/// arena size (restoring into another size falls back to a cold start).
///
/// Each invocation still starts from the same state (what one invocation
/// changes in module globals is not seen by the next, as before), and
/// initialisation-time effects (`print` output, S3 reads, `time.time()`)
/// happen once, when the image is taken. Bundled modules whose state must
/// differ per invocation (the `random` generator's seed) define
/// `_nl_after_restore()`, called after each restore.
#[cfg(feature = "std")]
#[derive(Clone)]
pub struct WarmStart {
    vm: super::interp::VmImage,
    module: Value,
    /// The imported modules' `_nl_after_restore` functions, found once
    /// when the image is taken.
    hooks: Vec<Value>,
    /// The context object made with the image (see [`KeptContext`]).
    context: KeptContext,
}

/// A Lambda context object made in the image, for the invocations whose
/// context has the same attributes (all but `aws_request_id`, which each
/// invocation sets in the restored copy): making one is a dozen string
/// allocations, half of a trivial warm invocation's VM time.
#[cfg(feature = "std")]
#[derive(Clone)]
struct KeptContext {
    object: Value,
    /// The attributes it was made from.
    attrs: super::Context,
}

#[cfg(feature = "std")]
std::thread_local! {
    /// The vectors of this thread's last VM (see `VmScratch`).
    static SCRATCH: core::cell::RefCell<super::interp::VmScratch> =
        core::cell::RefCell::new(super::interp::VmScratch::default());
}

#[cfg(feature = "std")]
impl WarmStart {
    /// Bytes of arena the image holds.
    pub fn arena_bytes(&self) -> usize {
        self.vm.heap.bytes()
    }
}

/// [`invoke`] starting from `warm` when given (and it fits this arena),
/// otherwise initialising the function; a cold start that initialised
/// cleanly also returns the image to start later invocations from.
#[cfg(feature = "std")]
pub fn invoke_warm(
    program: &Program,
    arena: &mut [u8],
    host: &mut dyn Host,
    inv: &Invocation<'_>,
    limits: &Limits,
    warm: Option<&WarmStart>,
) -> (Report, Option<WarmStart>) {
    // A nested invocation on this thread (none today) would find the
    // scratch taken and allocate its own.
    let mut scratch = SCRATCH
        .try_with(|s| {
            s.try_borrow_mut()
                .map(|mut s| core::mem::take(&mut *s))
                .ok()
        })
        .ok()
        .flatten()
        .unwrap_or_default();
    let mut vm = Vm::new_reusing(
        program,
        arena,
        host,
        limits.fuel,
        limits.max_depth,
        &mut scratch,
    );
    let result = match warm {
        Some(w) if vm.restore(&w.vm) => {
            // Rooted before anything runs: nothing else in the restored
            // arena refers to it.
            vm.roots.push(w.context.object);
            let hooks = w
                .hooks
                .iter()
                .try_for_each(|&f| vm.call(f, &[]).map(|_| ()));
            let outcome = match hooks {
                Ok(()) => run(&mut vm, inv, limits, Some(w.module), None, Some(&w.context)),
                Err(_) => exception_outcome(&mut vm, limits),
            };
            (report(&vm, limits, outcome), None)
        }
        _ => {
            let mut image = None;
            let outcome = run(&mut vm, inv, limits, None, Some(&mut image), None);
            (report(&vm, limits, outcome), image)
        }
    };
    vm.keep_vectors(&mut scratch);
    let _ = SCRATCH.try_with(|s| {
        if let Ok(mut s) = s.try_borrow_mut() {
            *s = scratch;
        }
    });
    result
}

/// The `_nl_after_restore()` functions of the imported modules that have
/// one (called after each restore of the image).
#[cfg(feature = "std")]
fn after_restore_hooks(vm: &Vm<'_, '_>) -> Vec<Value> {
    vm.modules
        .iter()
        .filter_map(|&m| match m {
            Value::Obj(r) if vm.heap.kind(r) == Kind::Module => {
                vm.dict_get_rs(vm.heap.val(r as usize + 4), "_nl_after_restore")
            }
            _ => None,
        })
        .collect()
}

/// The function initialised (the runtime's own objects, then the entry
/// module imported: its top level run), unless the VM was `restored` from
/// an image (this is then its entry module), and the image taken into
/// `take` if asked; then the invocation proper: the event and context
/// made, the handler called, its result encoded.
fn run(
    vm: &mut Vm<'_, '_>,
    inv: &Invocation<'_>,
    limits: &Limits,
    restored: Option<Value>,
    #[cfg(feature = "std")] take: Option<&mut Option<WarmStart>>,
    #[cfg(feature = "std")] kept: Option<&KeptContext>,
) -> Outcome {
    let entry = vm.prog.m.table.entry as usize;
    // The context object made for this invocation before the image.
    #[cfg(feature = "std")]
    let mut made_before = None;
    let module = match restored {
        Some(module) => module,
        None => {
            // The MemoryError raised when the arena is full is allocated up front.
            let memerr = vm
                .new_tuple(&[])
                .and_then(|t| vm.new_exc(Value::Type(ty::MemoryError), t));
            match memerr {
                Ok(e) => vm.memerr = e,
                Err(_) => {
                    return err(
                        "Runtime.OutOfMemory",
                        String::from("the arena is too small to start the runtime"),
                        Vec::new(),
                    );
                }
            }
            // By name, as the Lambda runtime imports it: a handler module in a
            // sub-package imports its packages first and is bound on them.
            let by_name = vm.prog.m.table.modules.get(entry).map(|m| m.name);
            let imported = match by_name {
                Some(name) => vm.import(name),
                None => vm.import_package_module(entry),
            };
            let module = match imported {
                Ok(m) => m,
                Err(_) => {
                    if vm.fatal.is_none() && vm.is_exception(vm.exc) {
                        let cls = vm.class_of(vm.exc);
                        if vm.is_subclass(cls, Value::Type(ty::ImportError)) {
                            let msg = vm.str_text(vm.exc).unwrap_or_default();
                            let name = module_name(vm, entry);
                            return err(
                                "Runtime.ImportModuleError",
                                alloc::format!("Unable to import module '{name}': {msg}"),
                                Vec::new(),
                            );
                        }
                    }
                    return exception_outcome(vm, limits);
                }
            };
            #[cfg(feature = "std")]
            if let Some(slot) = take {
                let hooks = after_restore_hooks(vm);
                // The context is made before the image is taken, so that
                // the invocations started from it find it made.
                let context = match make_context(vm, inv) {
                    Ok(object) => object,
                    Err(_) => return exception_outcome(vm, limits),
                };
                *slot = vm.image().map(|image| WarmStart {
                    vm: image,
                    module,
                    hooks,
                    context: KeptContext {
                        object: context,
                        attrs: inv.context.clone(),
                    },
                });
                // Rooted only now: an image is taken with no roots held.
                vm.roots.push(context);
                made_before = Some(context);
            }
            module
        }
    };
    // `module` is rooted: the VM's table of imported modules holds it.
    let event = match core::str::from_utf8(inv.event_json) {
        Ok(text) => match vm.json_parse(text) {
            Ok(v) => v,
            Err(super::json::ParseFail::Syntax(m)) => {
                return err(
                    "Runtime.UnmarshalError",
                    alloc::format!("Unable to unmarshal input: {m}"),
                    Vec::new(),
                );
            }
            Err(super::json::ParseFail::Raised(_)) => return exception_outcome(vm, limits),
        },
        Err(_) => {
            return err(
                "Runtime.UnmarshalError",
                String::from("Unable to unmarshal input: invalid UTF-8"),
                Vec::new(),
            );
        }
    };
    vm.roots.push(event);
    #[cfg(feature = "std")]
    let made = match (made_before, kept) {
        (Some(object), _) => Ok(object),
        (None, Some(k)) if same_but_request_id(&k.attrs, inv.context) => {
            reuse_context(vm, k, &inv.context.aws_request_id)
        }
        _ => make_context(vm, inv),
    };
    #[cfg(not(feature = "std"))]
    let made = make_context(vm, inv);
    let ctx = match made {
        Ok(c) => c,
        Err(_) => return exception_outcome(vm, limits),
    };
    vm.ctx = ctx;
    let globals = match module {
        Value::Obj(r) if vm.heap.kind(r) == Kind::Module => vm.heap.val(r as usize + 4),
        _ => Value::None,
    };
    let handler = match vm.new_str(inv.handler) {
        Ok(k) => vm.dict_get_str(globals, k),
        Err(_) => return exception_outcome(vm, limits),
    };
    let Some(handler) = handler else {
        let name = module_name(vm, entry);
        return err(
            "Runtime.HandlerNotFound",
            alloc::format!("Handler '{}' missing on module '{name}'", inv.handler),
            Vec::new(),
        );
    };
    let result = match vm.call(handler, &[event, ctx]) {
        Ok(v) => v,
        Err(_) => return exception_outcome(vm, limits),
    };
    vm.roots.push(result);
    let mut out = String::new();
    match vm.json_dumps_default(result, &mut out) {
        Ok(()) => Outcome::Ok(out),
        Err(_) => {
            if vm.fatal.is_some() {
                return exception_outcome(vm, limits);
            }
            let msg = vm.str_text(vm.exc).unwrap_or_default();
            err(
                "Runtime.MarshalError",
                alloc::format!("Unable to marshal response: {msg}"),
                Vec::new(),
            )
        }
    }
}

fn module_name(vm: &Vm<'_, '_>, mi: usize) -> String {
    vm.prog
        .m
        .table
        .modules
        .get(mi)
        .map(|m| String::from(vm.prog.m.string(m.name)))
        .unwrap_or_default()
}

fn exception_outcome(vm: &mut Vm<'_, '_>, limits: &Limits) -> Outcome {
    if vm.fatal == Some(Fatal::Timeout) {
        // pytext's formatter, not core::fmt's float code (10 KiB on thumb).
        let mut msg = String::from("Task timed out after ");
        crate::pytext::float_repr::write_float_magnitude(
            limits.timeout_secs,
            crate::pytext::float_repr::FloatStyle::Fixed,
            2,
            crate::pytext::float_repr::FloatFlags::default(),
            &mut msg,
        );
        msg.push_str(" seconds");
        return err("Sandbox.Timedout", msg, Vec::new());
    }
    let e = vm.exc;
    let error_type = vm.type_name_of(e);
    vm.roots.push(e);
    // The traceback may be long; str(e) may run user code (and fail).
    let msg = match vm.str_text(e) {
        Ok(m) => m,
        Err(_) => String::from("<exception str() failed>"),
    };
    let trace = vm.traceback_lines(e);
    err(&error_type, msg, trace)
}

fn make_context(vm: &mut Vm<'_, '_>, inv: &Invocation<'_>) -> R<Value> {
    let d = vm.new_dict()?;
    vm.roots.push(d);
    let c = inv.context;
    let fields: [(&str, &str); 6] = [
        ("function_name", &c.function_name),
        ("function_version", &c.function_version),
        ("invoked_function_arn", &c.invoked_function_arn),
        ("aws_request_id", &c.aws_request_id),
        ("log_group_name", &c.log_group_name),
        ("log_stream_name", &c.log_stream_name),
    ];
    for (k, v) in fields {
        let ks = vm.new_str(k)?;
        vm.roots.push(ks);
        let vs = vm.new_str(v);
        vm.roots.pop();
        vm.dict_set(d, ks, vs?)?;
    }
    // A string, as in AWS's runtime (it reads AWS_LAMBDA_FUNCTION_MEMORY_SIZE).
    let mut memory = alloc::string::String::new();
    crate::pytext::int_fmt::write_decimal(i64::from(c.memory_limit_in_mb), &mut memory);
    let k = vm.new_str("memory_limit_in_mb")?;
    vm.roots.push(k);
    let v = vm.new_str(&memory);
    vm.roots.pop();
    vm.dict_set(d, k, v?)?;
    let r = vm.alloc(Kind::Inst, fixed_words(Kind::Inst))?;
    for i in 0..5 {
        vm.heap.set_val(r as usize + 1 + 2 * i, Value::None);
    }
    vm.heap
        .set_val(r as usize + 1, Value::Type(ty::LambdaContext));
    vm.heap.set_val(r as usize + 3, d);
    vm.roots.pop();
    Ok(Value::Obj(r))
}

/// Whether two contexts differ at most in `aws_request_id`.
#[cfg(feature = "std")]
fn same_but_request_id(a: &super::Context, b: &super::Context) -> bool {
    a.function_name == b.function_name
        && a.function_version == b.function_version
        && a.invoked_function_arn == b.invoked_function_arn
        && a.memory_limit_in_mb == b.memory_limit_in_mb
        && a.log_group_name == b.log_group_name
        && a.log_stream_name == b.log_stream_name
}

/// The kept context object (restored with the image, so whatever an
/// earlier invocation did to it is gone) with this invocation's request id.
#[cfg(feature = "std")]
fn reuse_context(vm: &mut Vm<'_, '_>, kept: &KeptContext, request_id: &str) -> R<Value> {
    // Its instance dict, where `make_context` put the attributes.
    let dict = match kept.object {
        Value::Obj(r) if vm.heap.kind(r) == Kind::Inst => vm.heap.val(r as usize + 3),
        _ => return Err(vm.internal("the kept context is not an instance")),
    };
    let k = vm.new_str("aws_request_id")?;
    vm.roots.push(k);
    let v = vm.new_str(request_id);
    vm.roots.pop();
    vm.dict_set(dict, k, v?)?;
    Ok(kept.object)
}

#[allow(dead_code)]
fn _assert_host_object_safe(_: &dyn Host) {}
