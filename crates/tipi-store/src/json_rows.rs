//! Lists read as one JSON document.
//!
//! sqlx hands each row from its SQLite worker thread to the caller with every value copied;
//! at a few thousand rows that costs several times what SQLite itself spends
//! (docs/performance.md, history). A list read whole (a month of claims, a cycle's statements)
//! is asked for as one `json_group_array(json_array(...))` value instead: one value crosses the
//! threads, and serde reads it into rows whose fields follow the `json_array` order.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use crate::error::{Result, StoreError};

/// The rows of a `json_group_array` document. A document that does not read as the expected
/// rows is a corrupt `what`, never a panic.
pub(crate) fn parse<T: DeserializeOwned>(document: &str, what: &'static str) -> Result<Vec<T>> {
    serde_json::from_str(document).map_err(|_| StoreError::Corrupt { column: what })
}

/// SQLite stores booleans as 0 and 1, and `json_array` writes them as numbers.
pub(crate) fn bool_from_int<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    match u8::deserialize(deserializer)? {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(serde::de::Error::custom("a boolean column holds 0 or 1")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Row {
        id: i64,
        #[serde(deserialize_with = "bool_from_int")]
        flag: bool,
        note: Option<String>,
    }

    #[test]
    fn rows_follow_the_array_order_and_bad_documents_are_corrupt() {
        let rows: Vec<Row> = parse(r#"[[1,0,null],[2,1,"a\"b"]]"#, "t").unwrap();
        assert_eq!(
            rows,
            [
                Row {
                    id: 1,
                    flag: false,
                    note: None
                },
                Row {
                    id: 2,
                    flag: true,
                    note: Some("a\"b".into())
                },
            ]
        );
        assert!(parse::<Row>("[]", "t").unwrap().is_empty());
        for bad in [
            r#"[[1,2,null]]"#,
            r#"[[1,0]]"#,
            "[[1,0,null]",
            r#"{"id":1}"#,
        ] {
            assert!(
                matches!(
                    parse::<Row>(bad, "t"),
                    Err(StoreError::Corrupt { column: "t" })
                ),
                "{bad}"
            );
        }
    }
}
