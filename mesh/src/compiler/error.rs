//! Compile errors and source positions: a [`CompileError`] names
//! `file:line:col` (1-based, columns in characters) and what is wrong.
//! Owns only the mapping from byte offsets to positions; it knows nothing of
//! the passes that report errors.

use std::fmt;

use ruff_source_file::LineIndex;
use ruff_text_size::TextSize;

/// A compile error located in a source file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    /// The file, as given in [`super::SourceFile::path`].
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub col: u32,
    /// What is wrong, e.g. "generators are not supported".
    pub message: String,
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.col, self.message
        )
    }
}

impl std::error::Error for CompileError {}

/// Maps byte offsets of one source file to lines and columns.
pub struct Locator<'a> {
    file: &'a str,
    text: &'a str,
    index: LineIndex,
}

impl<'a> Locator<'a> {
    /// The source text of `range` (empty if it is not in the text).
    pub fn slice(&self, range: ruff_text_size::TextRange) -> &'a str {
        self.text
            .get(usize::from(range.start())..usize::from(range.end()))
            .unwrap_or("")
    }

    /// A locator for `text`, reported as `file`.
    pub fn new(file: &'a str, text: &'a str) -> Self {
        Locator {
            file,
            text,
            index: LineIndex::from_source_text(text),
        }
    }

    /// The file name errors are reported under.
    pub fn file(&self) -> &'a str {
        self.file
    }

    /// 1-based line and column of a byte offset (clamped to the text).
    pub fn position(&self, offset: TextSize) -> (u32, u32) {
        let len = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        let offset = TextSize::new(offset.to_u32().min(len));
        let lc = self.index.line_column(offset, self.text);
        (
            u32::try_from(lc.line.get()).unwrap_or(u32::MAX),
            u32::try_from(lc.column.get()).unwrap_or(u32::MAX),
        )
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: TextSize) -> u32 {
        self.position(offset).0
    }

    /// An error at `offset`.
    pub fn error(&self, offset: TextSize, message: impl Into<String>) -> CompileError {
        let (line, col) = self.position(offset);
        CompileError {
            file: self.file.to_string(),
            line,
            col,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let loc = Locator::new("a.py", "x = 1\nyé = 2\n");
        assert_eq!(loc.position(TextSize::new(0)), (1, 1));
        assert_eq!(loc.position(TextSize::new(6)), (2, 1));
        // 'é' is two bytes; '=' after "yé " is the 4th character.
        assert_eq!(loc.position(TextSize::new(10)), (2, 4));
        // Past the end is clamped, never a panic.
        assert_eq!(loc.position(TextSize::new(999)).0, 3);
        let e = loc.error(TextSize::new(6), "boom");
        assert_eq!(e.to_string(), "a.py:2:1: boom");
    }
}
