//! Parsing: wraps `ruff_python_parser` and maps its errors to
//! [`CompileError`]s. Owns the source-size limit; it does not judge whether a
//! construct is in the supported subset (that is [`super::symtable`]'s walk).
//!
//! ruff's parser grows its own stack (`stacker`) on deep nesting, so parsing
//! pathological input cannot overflow the stack; the nesting limit of the
//! later passes is checked by [`super::symtable`].

use ruff_python_ast::ModModule;
use ruff_text_size::{Ranged, TextSize};

use super::error::{CompileError, Locator};

/// Largest source file accepted, in bytes.
pub const MAX_SOURCE_BYTES: usize = 1 << 20;

/// Parse one source file into ruff's AST.
pub fn parse(loc: &Locator<'_>, text: &str) -> Result<ModModule, CompileError> {
    if text.len() > MAX_SOURCE_BYTES {
        return Err(loc.error(
            TextSize::new(0),
            format!(
                "source file is too large ({} bytes; at most {MAX_SOURCE_BYTES})",
                text.len()
            ),
        ));
    }
    match ruff_python_parser::parse_module(text) {
        Ok(parsed) => Ok(parsed.into_syntax()),
        Err(e) => Err(loc.error(e.range().start(), format!("syntax error: {}", e.error))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_valid_source() {
        let loc = Locator::new("a.py", "x = 1\n");
        let m = parse(&loc, "x = 1\n").unwrap();
        assert_eq!(m.body.len(), 1);
    }

    #[test]
    fn syntax_error_is_located() {
        let src = "x = 1\nif x\n    pass\n";
        let loc = Locator::new("a.py", src);
        let e = parse(&loc, src).unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("a.py", 2));
        assert!(e.message.starts_with("syntax error"), "{}", e.message);
    }

    #[test]
    fn oversize_source_is_rejected() {
        let src = "#".repeat(MAX_SOURCE_BYTES + 1);
        let loc = Locator::new("a.py", &src);
        let e = parse(&loc, &src).unwrap_err();
        assert!(e.message.contains("too large"));
    }
}
