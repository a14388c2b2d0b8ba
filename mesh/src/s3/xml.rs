//! The XML of the S3 API: escaping for the documents the node writes, and a
//! small, bounded element-tree reader (on `quick-xml`) for the documents
//! clients send (DeleteObjects, CompleteMultipartUpload, notification
//! configurations). Namespaces are ignored (local names only); DTDs and
//! processing instructions are skipped, entities other than the five
//! predefined ones and character references are refused.

use quick_xml::events::Event;
use quick_xml::reader::Reader;

/// Deepest nesting accepted.
const MAX_DEPTH: usize = 16;
/// Most elements accepted in one document.
const MAX_ELEMENTS: usize = 50_000;

/// Escape text for an XML element or attribute.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry literally.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {
                out.push_str(&format!("&#x{:X};", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// Append `<name>escaped value</name>`.
pub fn push_elem(out: &mut String, name: &str, value: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    out.push_str(&escape(value));
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// The XML declaration every S3 document starts with.
pub const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
/// The S3 namespace.
pub const NS: &str = "http://s3.amazonaws.com/doc/2006-03-01/";

/// One parsed element.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    /// Local name.
    pub name: String,
    /// Child elements in order.
    pub children: Vec<Element>,
    /// Text content (concatenated, unescaped).
    pub text: String,
}

impl Element {
    /// The first child called `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child called `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text of the first child called `name`.
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.trim())
    }
}

fn predefined(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

fn char_ref(name: &str) -> Option<char> {
    let n = name.strip_prefix('#')?;
    let code = match n.strip_prefix('x').or_else(|| n.strip_prefix('X')) {
        Some(h) => u32::from_str_radix(h, 16).ok()?,
        None => n.parse().ok()?,
    };
    char::from_u32(code)
}

/// Parse a document into its root element; the error says what is wrong.
pub fn parse(doc: &[u8]) -> Result<Element, String> {
    let text = std::str::from_utf8(doc).map_err(|_| "the document is not UTF-8".to_string())?;
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut count = 0usize;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("at byte {}: {e}", reader.buffer_position()))?;
        match event {
            Event::Start(start) | Event::Empty(start) if root.is_some() => {
                let _ = start;
                return Err("content after the root element".into());
            }
            Event::Start(start) => {
                count += 1;
                if stack.len() >= MAX_DEPTH || count > MAX_ELEMENTS {
                    return Err("the document is too deep or too large".into());
                }
                let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                stack.push(Element {
                    name,
                    ..Element::default()
                });
            }
            Event::Empty(start) => {
                count += 1;
                if count > MAX_ELEMENTS {
                    return Err("the document is too large".into());
                }
                let e = Element {
                    name: String::from_utf8_lossy(start.local_name().as_ref()).into_owned(),
                    ..Element::default()
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(e),
                    None => root = Some(e),
                }
            }
            Event::End(end) => {
                let e = stack.pop().ok_or("unbalanced closing tag")?;
                if end.local_name().as_ref() != e.name.as_bytes() {
                    return Err(format!("mismatched closing tag for <{}>", e.name));
                }
                match stack.last_mut() {
                    Some(parent) => parent.children.push(e),
                    None => root = Some(e),
                }
            }
            Event::Text(t) => {
                let s = t.decode().map_err(|e| e.to_string())?;
                match stack.last_mut() {
                    Some(top) => top.text.push_str(&s),
                    None if s.trim().is_empty() => {}
                    None => return Err("text outside the root element".into()),
                }
            }
            Event::CData(t) => {
                let s = String::from_utf8_lossy(&t).into_owned();
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&s);
                }
            }
            Event::GeneralRef(r) => {
                let name = r.decode().map_err(|e| e.to_string())?;
                let c = predefined(&name)
                    .or_else(|| char_ref(&name))
                    .ok_or_else(|| format!("unknown entity &{name};"))?;
                if let Some(top) = stack.last_mut() {
                    top.text.push(c);
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err("the document ends inside an element".into());
    }
    root.ok_or_else(|| "the document is empty".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_delete_documents_with_namespaces_and_entities() {
        let doc = br#"<?xml version="1.0" encoding="UTF-8"?>
            <Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Object><Key>a&amp;b&#x41;</Key></Object>
              <Object><Key>c</Key><VersionId>null</VersionId></Object>
              <Quiet>true</Quiet>
            </Delete>"#;
        let root = parse(doc).unwrap();
        assert_eq!(root.name, "Delete");
        let keys: Vec<_> = root
            .all("Object")
            .filter_map(|o| o.text_of("Key"))
            .collect();
        assert_eq!(keys, ["a&bA", "c"]);
        assert_eq!(root.text_of("Quiet"), Some("true"));
    }

    #[test]
    fn refuses_broken_documents() {
        for bad in [
            &b""[..],
            b"<a>",
            b"<a></b>",
            b"<a/><b/>",
            b"text",
            b"<a>&foo;</a>",
            b"\xff\xfe",
        ] {
            assert!(parse(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert!(parse(deep.as_bytes()).is_err());
    }

    #[test]
    fn escapes() {
        assert_eq!(escape("a<b>&\"'\u{1}"), "a&lt;b&gt;&amp;&quot;&apos;&#x1;");
    }
}
