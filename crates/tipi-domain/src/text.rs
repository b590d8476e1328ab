//! Small text helpers shared by the NAM prefix and name checks.

/// Upper-cases and strips the accents of Latin letters; other characters pass through
/// upper-cased. Covers the letters used in Québec names (French, plus common European ones).
/// Lazy and allocation-free: the NAM prefix is checked once per claim in a batch.
pub(crate) fn fold_upper(input: &str) -> impl Iterator<Item = char> + '_ {
    input.chars().flat_map(|c| match fold_char(c) {
        Some(s) => Folded::Mapped(s.chars()),
        None => Folded::Upper(c.to_uppercase()),
    })
}

/// The characters one input character folds to.
enum Folded {
    Mapped(std::str::Chars<'static>),
    Upper(std::char::ToUppercase),
}

impl Iterator for Folded {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        match self {
            Folded::Mapped(chars) => chars.next(),
            Folded::Upper(chars) => chars.next(),
        }
    }
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
        let folded = |text: &str| fold_upper(text).collect::<String>();
        assert_eq!(folded("Émilie Côté-Lœuf"), "EMILIE COTE-LOEUF");
        assert_eq!(folded("ça"), "CA");
    }
}
