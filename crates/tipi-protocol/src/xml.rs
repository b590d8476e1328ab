//! The XML codec for RAMQ's vocabulary: one namespace, a fixed declaration, two-space indent.
//!
//! Output is deterministic (golden files pin it byte for byte). The messages the client sends
//! (`dem_paimt`, `lot_dem_paimt`) are written by a streaming [`writer`] that formats in place,
//! since a batch can hold tens of thousands of requests; the answers the sandbox sends are
//! written by quick-xml's serde serialiser ([`write_with_serde`]). Reading checks that the root
//! element is the expected one in the `urn:ramq-gouv-qc-ca:RFP` namespace, then lets serde map
//! the elements; unknown elements are ignored so that newer senders stay readable.

use quick_xml::events::Event;
use serde::de::DeserializeOwned;
use serde::Serialize;

mod writer;

pub use writer::Text;
pub(crate) use writer::{tag, Tag, XmlWriter};

/// RAMQ's namespace for the fee-for-service (RFP) messages.
pub const NAMESPACE: &str = "urn:ramq-gouv-qc-ca:RFP";

/// The XML declaration every message starts with.
pub const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

/// The media type of every XML message (request and response bodies).
pub const CONTENT_TYPE: &str = "application/xml";

/// Why an XML message could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum XmlError {
    /// The text is not well-formed XML or does not match the message's structure.
    #[error("malformed XML message: {0}")]
    Malformed(String),
    /// The root element is not the expected one.
    #[error("expected root element <{expected}>, found <{found}>")]
    WrongRoot {
        /// The element the message type expects.
        expected: &'static str,
        /// The element found.
        found: String,
    },
    /// The root element is not in RAMQ's namespace.
    #[error("root element is not in the namespace {NAMESPACE}")]
    WrongNamespace,
}

/// A message with a root element of its own, written with [`XmlMessage::to_xml`] and read with
/// [`XmlMessage::from_xml`].
pub trait XmlMessage: DeserializeOwned {
    /// The root element's name, e.g. `dem_paimt`.
    const ROOT: &'static str;

    /// Appends the message to `out` as a complete XML document: declaration, root element with
    /// the RAMQ namespace, two-space indentation, a final newline.
    fn write_xml(&self, out: &mut Vec<u8>) -> Result<(), XmlError>;

    /// Writes the message as a complete XML document.
    fn to_xml(&self) -> Result<String, XmlError> {
        let mut out = Vec::new();
        self.write_xml(&mut out)?;
        String::from_utf8(out).map_err(|e| XmlError::Malformed(e.to_string()))
    }

    /// Reads a complete XML document.
    fn from_xml(text: &str) -> Result<Self, XmlError> {
        from_xml(text)
    }
}

/// [`XmlMessage::write_xml`] for the messages serde writes (the server's answers).
pub(crate) fn write_with_serde<M: XmlMessage + Serialize>(
    message: &M,
    out: &mut Vec<u8>,
) -> Result<(), XmlError> {
    let mut body = String::new();
    let mut serializer = quick_xml::se::Serializer::with_root(&mut body, Some(M::ROOT))
        .map_err(|e| XmlError::Malformed(e.to_string()))?;
    serializer.indent(' ', 2);
    message
        .serialize(serializer)
        .map_err(|e| XmlError::Malformed(e.to_string()))?;
    // The serializer cannot add an attribute to the root of a struct that has none; the root
    // always starts with `<ROOT` followed by `>` or `/>`, so the namespace goes right after it.
    let open = format!("<{}", M::ROOT);
    let rest = body
        .strip_prefix(&open)
        .ok_or_else(|| XmlError::Malformed("serializer wrote an unexpected root".into()))?;
    out.extend_from_slice(DECLARATION.as_bytes());
    out.extend_from_slice(open.as_bytes());
    out.extend_from_slice(format!(" xmlns=\"{NAMESPACE}\"").as_bytes());
    out.extend_from_slice(rest.as_bytes());
    out.push(b'\n');
    Ok(())
}

/// Reads a complete XML document whose root must be `M::ROOT` in RAMQ's namespace.
pub fn from_xml<M: XmlMessage>(text: &str) -> Result<M, XmlError> {
    check_root(text, M::ROOT)?;
    quick_xml::de::from_str(text).map_err(|e| XmlError::Malformed(e.to_string()))
}

/// Checks the root element's name and namespace without reading the rest.
fn check_root(text: &str, expected: &'static str) -> Result<(), XmlError> {
    let mut reader = quick_xml::Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(Event::Start(start)) | Ok(Event::Empty(start)) => {
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                if name != expected {
                    return Err(XmlError::WrongRoot {
                        expected,
                        found: name,
                    });
                }
                let in_namespace = start.attributes().flatten().any(|attribute| {
                    attribute.key.as_ref() == b"xmlns"
                        && attribute.value.as_ref() == NAMESPACE.as_bytes()
                });
                return if in_namespace {
                    Ok(())
                } else {
                    Err(XmlError::WrongNamespace)
                };
            }
            Ok(Event::Eof) => return Err(XmlError::Malformed("empty document".into())),
            Ok(_) => {}
            Err(e) => return Err(XmlError::Malformed(e.to_string())),
        }
    }
}

/// Defines a serde helper module that writes a `Vec<T>` as a wrapper element holding one
/// `item` element per entry (`<liste_fact><fact>..</fact><fact>..</fact></liste_fact>`), and
/// reads it back, an empty or missing wrapper giving an empty list. `read_only` defines only
/// the reading half, for the messages the streaming writer writes.
macro_rules! xml_list {
    ($module:ident, $item:literal) => {
        pub(crate) mod $module {
            use serde::{Serialize, Serializer};

            #[derive(Serialize)]
            struct Out<'a, T> {
                #[serde(rename = $item)]
                items: &'a [T],
            }

            pub(crate) fn serialize<S: Serializer, T: Serialize>(
                items: &[T],
                serializer: S,
            ) -> Result<S::Ok, S::Error> {
                Out { items }.serialize(serializer)
            }

            $crate::xml::xml_list!(@read $item);
        }
    };
    (read_only $module:ident, $item:literal) => {
        pub(crate) mod $module {
            $crate::xml::xml_list!(@read $item);
        }
    };
    (@read $item:literal) => {
        #[derive(serde::Deserialize)]
        struct In<T> {
            #[serde(rename = $item, default = "Vec::new")]
            items: Vec<T>,
        }

        pub(crate) fn deserialize<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
        where
            D: serde::Deserializer<'de>,
            T: serde::Deserialize<'de>,
        {
            Ok(<In<T> as serde::Deserialize>::deserialize(deserializer)?.items)
        }
    };
}
pub(crate) use xml_list;

/// Amounts in XML: written as text with their scale (`45.00`), read from text. rust_decimal's
/// own `Deserialize` asks for "any" value, which an XML element cannot answer.
pub(crate) mod decimal {
    use std::str::FromStr;

    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(
        value: &Decimal,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Decimal, D::Error> {
        let text = String::deserialize(deserializer)?;
        Decimal::from_str(text.trim()).map_err(serde::de::Error::custom)
    }
}
