//! Small text helpers shared by the NAM prefix and name checks.

/// Upper-cases and strips the accents of Latin letters; other characters pass through
/// upper-cased. Covers the letters used in Québec names (French, plus common European ones).
pub(crate) fn fold_upper(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        match fold_char(c) {
            Some(s) => out.push_str(s),
            None => out.extend(c.to_uppercase()),
        }
    }
    out
}

fn fold_char(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "A",
        'æ' | 'Æ' => "AE",
        'ç' | 'Ç' => "C",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "E",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "I",
        'ñ' | 'Ñ' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => "O",
        'œ' | 'Œ' => "OE",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "U",
        'ý' | 'ÿ' | 'Ý' | 'Ÿ' => "Y",
        'ß' => "SS",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_and_ligatures() {
        assert_eq!(fold_upper("Émilie Côté-Lœuf"), "EMILIE COTE-LOEUF");
        assert_eq!(fold_upper("ça"), "CA");
    }
}
