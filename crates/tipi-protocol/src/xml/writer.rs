//! A streaming XML writer for the messages the client sends (`dem_paimt`, `lot_dem_paimt`).
//!
//! It writes straight into a byte buffer, in the exact layout of the rest of the codec
//! (declaration, namespaced root, two-space indentation, `<name/>` for an empty text or an
//! element without children, only `&`, `<` and `>` escaped in text). Numbers, amounts and dates
//! are formatted in place, without an intermediate `String`: a batch of 50,000 claims is written
//! in one pass with no allocation per claim.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::{DECLARATION, NAMESPACE};

/// A newline and the spaces of the deepest indentation written in one fixed-size copy.
const INDENT: [u8; 16] = *b"\n               ";

/// The longest tag a [`Tag`] holds (`</` + name + `>`).
const TAG_CAPACITY: usize = 32;

/// An element's tags, built at compile time ([`tag!`]) so that writing one is a fixed-size copy
/// rather than a few formatted writes: a batch writes about forty per claim.
pub(crate) struct Tag {
    open: [u8; TAG_CAPACITY],
    close: [u8; TAG_CAPACITY],
    empty: [u8; TAG_CAPACITY],
    name_len: usize,
}

impl Tag {
    /// The tags of element `name`. Panics at compile time for a name too long.
    pub(crate) const fn new(name: &str) -> Tag {
        let name = name.as_bytes();
        assert!(name.len() + 3 <= TAG_CAPACITY, "element name too long");
        let mut open = [0; TAG_CAPACITY];
        let mut close = [0; TAG_CAPACITY];
        let mut empty = [0; TAG_CAPACITY];
        open[0] = b'<';
        close[0] = b'<';
        close[1] = b'/';
        empty[0] = b'<';
        let mut i = 0;
        while i < name.len() {
            open[1 + i] = name[i];
            close[2 + i] = name[i];
            empty[1 + i] = name[i];
            i += 1;
        }
        open[1 + name.len()] = b'>';
        close[2 + name.len()] = b'>';
        empty[1 + name.len()] = b'/';
        empty[2 + name.len()] = b'>';
        Tag {
            open,
            close,
            empty,
            name_len: name.len(),
        }
    }
}

/// `&'static Tag` of an element name, built at compile time.
macro_rules! tag {
    ($name:expr) => {
        const { &$crate::xml::Tag::new($name) }
    };
}
pub(crate) use tag;

/// Appends the first `len` bytes of `chunk`: one fixed-size copy, then the excess dropped.
#[inline(always)]
fn put<const N: usize>(out: &mut Vec<u8>, chunk: &[u8; N], len: usize) {
    let end = out.len() + len;
    out.extend_from_slice(chunk);
    out.truncate(end);
}

/// A text value as the writer takes it: borrowed text, or a number or a calendar date (written
/// `YYYY-MM-DD`) that the writer formats itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text<'a> {
    /// Text, written escaped.
    Str(&'a str),
    /// An unsigned number, in decimal.
    Number(u64),
    /// A date, `YYYY-MM-DD`.
    Date(NaiveDate),
}

impl<'a> From<&'a str> for Text<'a> {
    fn from(text: &'a str) -> Self {
        Text::Str(text)
    }
}

/// Writes one document's elements into `out`; every element starts on its own indented line.
pub(crate) struct XmlWriter<'o> {
    out: &'o mut Vec<u8>,
    depth: usize,
}

impl<'o> XmlWriter<'o> {
    /// Writes the declaration and opens `root` in RAMQ's namespace.
    pub(crate) fn start(out: &'o mut Vec<u8>, root: &str) -> Self {
        out.extend_from_slice(DECLARATION.as_bytes());
        out.push(b'<');
        out.extend_from_slice(root.as_bytes());
        out.extend_from_slice(b" xmlns=\"");
        out.extend_from_slice(NAMESPACE.as_bytes());
        out.extend_from_slice(b"\">");
        Self { out, depth: 1 }
    }

    /// Closes `root` and ends the document with a newline.
    pub(crate) fn finish(mut self, root: &str) {
        self.depth -= 1;
        self.indent();
        self.out.extend_from_slice(b"</");
        self.out.extend_from_slice(root.as_bytes());
        self.out.extend_from_slice(b">\n");
    }

    /// Reserves room for `additional` more bytes.
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.out.reserve(additional);
    }

    /// The document's length so far.
    pub(crate) fn len(&self) -> usize {
        self.out.len()
    }

    /// The current element depth (the root's children are at 1).
    pub(crate) fn depth(&self) -> usize {
        self.depth
    }

    /// What was written from offset `start` on.
    pub(crate) fn written_since(&self, start: usize) -> &[u8] {
        &self.out[start..]
    }

    /// Appends bytes this writer wrote before at the same depth.
    pub(crate) fn repeat(&mut self, written: &[u8]) {
        self.out.extend_from_slice(written);
    }

    #[inline]
    fn indent(&mut self) {
        let width = 1 + 2 * self.depth;
        if width <= INDENT.len() {
            put(self.out, &INDENT, width);
        } else {
            self.out.push(b'\n');
            self.out.resize(self.out.len() + width - 1, b' ');
        }
    }

    #[inline]
    fn start_tag(&mut self, tag: &Tag) {
        self.indent();
        put(self.out, &tag.open, tag.name_len + 2);
    }

    #[inline]
    fn end_tag(&mut self, tag: &Tag) {
        put(self.out, &tag.close, tag.name_len + 3);
    }

    /// Opens an element that holds other elements.
    pub(crate) fn open(&mut self, tag: &Tag) {
        self.start_tag(tag);
        self.depth += 1;
    }

    /// Closes the element [`Self::open`] opened last.
    pub(crate) fn close(&mut self, tag: &Tag) {
        self.depth -= 1;
        self.indent();
        self.end_tag(tag);
    }

    /// Writes `<name/>`: an empty text, or an element without children.
    pub(crate) fn empty(&mut self, tag: &Tag) {
        self.indent();
        put(self.out, &tag.empty, tag.name_len + 3);
    }

    /// Writes an element holding `value`.
    pub(crate) fn text(&mut self, tag: &Tag, value: Text<'_>) {
        match value {
            Text::Str(text) => self.str(tag, text),
            Text::Number(number) => self.number(tag, number),
            Text::Date(date) => self.date(tag, date),
        }
    }

    /// Writes an element holding `text`, escaped.
    pub(crate) fn str(&mut self, tag: &Tag, text: &str) {
        if text.is_empty() {
            return self.empty(tag);
        }
        self.start_tag(tag);
        escape_into(self.out, text);
        self.end_tag(tag);
    }

    /// Writes an element holding a number.
    pub(crate) fn number(&mut self, tag: &Tag, number: impl itoa::Integer) {
        self.start_tag(tag);
        self.out
            .extend_from_slice(itoa::Buffer::new().format(number).as_bytes());
        self.end_tag(tag);
    }

    /// Writes an element holding `true` or `false`.
    pub(crate) fn bool(&mut self, tag: &Tag, value: bool) {
        self.str(tag, if value { "true" } else { "false" });
    }

    /// Writes an element holding an amount, with its scale (`45.00`), as `Decimal`'s `Display`.
    pub(crate) fn decimal(&mut self, tag: &Tag, value: Decimal) {
        self.start_tag(tag);
        write_decimal(self.out, value);
        self.end_tag(tag);
    }

    /// Writes an element holding a date, `YYYY-MM-DD`.
    pub(crate) fn date(&mut self, tag: &Tag, date: NaiveDate) {
        self.start_tag(tag);
        write_date(self.out, date);
        self.end_tag(tag);
    }
}

/// Appends `text` with `&`, `<` and `>` escaped.
fn escape_into(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    // Claim fields rarely hold a special character: a scan without early exit (vectorised),
    // then one copy.
    let special = bytes.iter().fold(false, |found, byte| {
        found | matches!(byte, b'&' | b'<' | b'>')
    });
    if special {
        escape_runs(out, bytes);
    } else {
        out.extend_from_slice(bytes);
    }
}

/// Appends `bytes` with `&`, `<` and `>` escaped, copying the runs between them in one go.
fn escape_runs(out: &mut Vec<u8>, bytes: &[u8]) {
    let mut run = 0;
    for (index, byte) in bytes.iter().enumerate() {
        let entity: &[u8] = match byte {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            _ => continue,
        };
        out.extend_from_slice(&bytes[run..index]);
        out.extend_from_slice(entity);
        run = index + 1;
    }
    out.extend_from_slice(&bytes[run..]);
}

/// Appends `value` as `Decimal`'s `Display` writes it: sign, digits of the mantissa with the
/// point `scale` digits from the right, a `0` before a point that would lead.
fn write_decimal(out: &mut Vec<u8>, value: Decimal) {
    if value.is_sign_negative() {
        out.push(b'-');
    }
    let scale = value.scale() as usize;
    let mantissa = value.mantissa().unsigned_abs();
    let mut buffer = itoa::Buffer::new();
    let digits = match (mantissa, u64::try_from(mantissa)) {
        (0, _) => "",
        (_, Ok(small)) => buffer.format(small),
        (large, Err(_)) => buffer.format(large),
    }
    .as_bytes();
    match digits.len().checked_sub(scale) {
        Some(whole) if whole > 0 => {
            out.extend_from_slice(&digits[..whole]);
            if scale > 0 {
                out.push(b'.');
                out.extend_from_slice(&digits[whole..]);
            }
        }
        _ => {
            out.push(b'0');
            if scale > 0 {
                out.push(b'.');
                out.resize(out.len() + scale - digits.len(), b'0');
                out.extend_from_slice(digits);
            }
        }
    }
}

/// Appends `date` as `YYYY-MM-DD` (chrono's `%Y-%m-%d`).
fn write_date(out: &mut Vec<u8>, date: NaiveDate) {
    let digit = |value: u32| b'0' + (value % 10) as u8;
    match u32::try_from(date.year()) {
        Ok(year) if year <= 9999 => {
            let (month, day) = (date.month(), date.day());
            out.extend_from_slice(&[
                digit(year / 1000),
                digit(year / 100),
                digit(year / 10),
                digit(year),
                b'-',
                digit(month / 10),
                digit(month),
                b'-',
                digit(day / 10),
                digit(day),
            ]);
        }
        // Years chrono writes with a sign: rare enough to let it format them.
        _ => out.extend_from_slice(date.format("%Y-%m-%d").to_string().as_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn decimal(value: Decimal) -> String {
        let mut out = Vec::new();
        write_decimal(&mut out, value);
        String::from_utf8(out).unwrap()
    }

    fn date(value: NaiveDate) -> String {
        let mut out = Vec::new();
        write_date(&mut out, value);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn amounts_are_written_as_decimal_displays_them() {
        let mut values = vec![
            Decimal::ZERO,
            Decimal::new(0, 2),
            Decimal::new(-0, 3),
            Decimal::new(5, 2),
            Decimal::new(-150, 2),
            Decimal::new(4550, 2),
            Decimal::new(100, 0),
            Decimal::new(1, 28),
            Decimal::MAX,
            Decimal::MIN,
            Decimal::from_str("-0.00").unwrap(),
            Decimal::from_str("18446744073709551616.5").unwrap(),
        ];
        values.push(-Decimal::new(0, 4));
        for scale in 0..=28 {
            values.push(Decimal::new(123_456_789, scale));
            values.push(Decimal::new(-7, scale));
        }
        for value in values {
            assert_eq!(decimal(value), value.to_string(), "{value:?}");
        }
    }

    #[test]
    fn dates_are_written_as_chrono_formats_them() {
        for (year, month, day) in [
            (2026, 3, 9),
            (1999, 12, 31),
            (1, 1, 1),
            (0, 2, 29),
            (9999, 12, 31),
            (10_000, 1, 1),
            (-44, 3, 15),
        ] {
            let value = NaiveDate::from_ymd_opt(year, month, day).unwrap();
            assert_eq!(date(value), value.format("%Y-%m-%d").to_string());
        }
    }

    #[test]
    fn only_ampersand_and_angle_brackets_are_escaped() {
        let long = "x".repeat(40);
        for (text, expected) in [
            (
                "a&b<c>d'e\"f é&&",
                "a&amp;b&lt;c&gt;d'e\"f é&amp;&amp;".to_owned(),
            ),
            ("plain 'text' é", "plain 'text' é".to_owned()),
            (&long, long.clone()),
            (&format!("{long}<"), format!("{long}&lt;")),
            (&format!("&{long}"), format!("&amp;{long}")),
            (&long[1..], long[1..].to_owned()),
        ] {
            let mut out = b"before".to_vec();
            escape_into(&mut out, text);
            assert_eq!(String::from_utf8(out).unwrap(), format!("before{expected}"));
        }
    }

    #[test]
    fn elements_nest_with_two_space_indentation() {
        let mut out = Vec::new();
        let mut xml = XmlWriter::start(&mut out, "root");
        xml.open(tag!("outer"));
        xml.str(tag!("text"), "x<y");
        xml.str(tag!("blank"), "");
        xml.number(tag!("count"), 42u32);
        xml.bool(tag!("flag"), true);
        xml.open(tag!("a_name_of_twenty_nine_letters"));
        xml.open(tag!("deep"));
        xml.open(tag!("deeper"));
        xml.open(tag!("deepest"));
        xml.open(tag!("beyond"));
        xml.open(tag!("further"));
        xml.empty(tag!("bottom"));
        for name in ["further", "beyond", "deepest", "deeper", "deep"] {
            xml.close(&Tag::new(name));
        }
        xml.close(tag!("a_name_of_twenty_nine_letters"));
        xml.close(tag!("outer"));
        xml.empty(tag!("nothing"));
        xml.finish("root");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!(
                "{DECLARATION}<root xmlns=\"{NAMESPACE}\">\n  <outer>\n    <text>x&lt;y</text>\n    \
                 <blank/>\n    <count>42</count>\n    <flag>true</flag>\n    \
                 <a_name_of_twenty_nine_letters>\n      <deep>\n        <deeper>\n          \
                 <deepest>\n            <beyond>\n              <further>\n                \
                 <bottom/>\n              </further>\n            </beyond>\n          \
                 </deepest>\n        </deeper>\n      </deep>\n    \
                 </a_name_of_twenty_nine_letters>\n  </outer>\n  <nothing/>\n</root>\n"
            )
        );
    }
}
