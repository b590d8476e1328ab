//! RAMQ-style explanatory message codes (`cod_msg_expl_recev`) with their French text.
//!
//! The official catalogue is a RAMQ reference file; this is the project's model of it
//! (docs/protocol.md lists it). Codes are three digits and stable: a client may branch on them.
//! [`for_problem`] maps a `tipi_domain` problem code (its stable `as_str()`) to a message.

/// One explanatory message of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageCode {
    /// The three-digit code.
    pub code: &'static str,
    /// The domain problem code(s) it stands for, or a sandbox rule's name.
    pub key: &'static str,
    /// The French text sent in `txt_msg_expl_recev`.
    pub text_fr: &'static str,
}

macro_rules! catalogue {
    ($($name:ident = $code:literal, $key:literal, $text:literal;)*) => {
        $(
            #[doc = $text]
            pub const $name: MessageCode = MessageCode { code: $code, key: $key, text_fr: $text };
        )*
        /// Every message, in code order.
        pub const CATALOGUE: &[MessageCode] = &[$($name),*];
    };
}

catalogue! {
    NAM_LENGTH = "101", "nam_length", "Le NAM doit compter 12 caractères.";
    NAM_LETTERS = "102", "nam_letters", "Les 4 premiers caractères du NAM doivent être des lettres.";
    NAM_DATE = "103", "nam_date", "Les caractères 5 à 10 du NAM ne forment pas une date de naissance valide.";
    NAM_ADMINISTRATIVE_CHARACTER = "104", "nam_administrative_character", "Le 11e caractère du NAM doit être un chiffre de 1 à 9 ou une lettre autre que I et O.";
    NAM_CHECK_DIGIT = "105", "nam_check_digit", "Le chiffre de contrôle du NAM est invalide.";
    NAM_NAME_MISMATCH = "106", "nam_name_mismatch", "Avertissement : le NAM ne correspond pas au nom et au prénom de la personne.";
    PATIENT_MISSING = "110", "patient_missing", "La facture doit identifier une seule personne, avec ou sans NAM.";
    SURNAME_MISSING = "111", "surname_missing", "Le nom de la personne est obligatoire sans NAM.";
    FIRST_NAME_MISSING = "112", "first_name_missing", "Le prénom de la personne est obligatoire sans NAM.";
    BIRTH_DATE_INVALID = "113", "birth_date_invalid", "La date de naissance est invalide (AAAA-MM-JJ).";
    BIRTH_DATE_FUTURE = "114", "birth_date_future", "La date de naissance est postérieure à la date de réception.";
    SEX_INVALID = "115", "sex_invalid", "Le sexe de la personne est M ou F.";
    PROFESSIONAL_INVALID = "120", "professional_invalid", "Le numéro du professionnel est invalide.";
    CLIENTELE_MISMATCH = "121", "clientele_mismatch", "La clientèle de la facture ne correspond pas à celle du développeur du logiciel.";
    CLIENTELE_INVALID = "122", "clientele_invalid", "Le type de clientèle est invalide.";
    PLACE_INVALID = "130", "place_invalid", "Le code du lieu de consultation est invalide.";
    PLACE_UNKNOWN = "131", "place_unknown", "Le lieu de consultation est inconnu de la Régie.";
    NO_LINES = "140", "no_lines", "La facture ne contient aucune ligne.";
    BILLING_CODE_INVALID = "141", "billing_code_invalid", "Le code de facturation est invalide.";
    BILLING_CODE_UNKNOWN = "142", "billing_code_unknown", "Le code de facturation est inconnu ou ne s'applique pas à cette clientèle.";
    ROLE_INVALID = "143", "role_invalid", "Le code de rôle est invalide.";
    UNITS_NOT_POSITIVE = "144", "units_not_positive", "Le nombre d'unités doit être d'au moins 1.";
    AMOUNT_NOT_POSITIVE = "145", "amount_not_positive", "Le montant réclamé doit être supérieur à zéro.";
    AMOUNT_PRECISION = "146", "amount_precision", "Le montant réclamé a au plus 2 décimales.";
    LINE_NUMBER_INVALID = "147", "line_number_invalid", "Les numéros de ligne doivent se suivre à partir de 1.";
    SERVICE_DATE_INVALID = "150", "service_date_invalid", "La date de service est invalide (AAAA-MM-JJ).";
    SERVICE_DATE_FUTURE = "151", "service_date_future", "La date de service est postérieure à la date de réception.";
    LATE_SERVICE = "152", "late_service", "La demande a été reçue plus de 90 jours après la date de service.";
    SERVICE_BEFORE_BIRTH = "153", "service_before_birth", "La date de service précède la date de naissance.";
    EXTERNAL_ID_MISSING = "160", "external_id_missing", "Le numéro de facture externe est absent.";
    EXTERNAL_ID_INVALID = "161", "external_id_invalid", "Le numéro de facture externe est invalide.";
    EXTERNAL_ID_DUPLICATE = "162", "external_id_duplicate", "Ce numéro de facture externe est répété dans le lot.";
    EXTERNAL_ID_ALREADY_RECEIVED = "163", "external_id_already_received", "Cette facture a déjà été reçue et jugée recevable pour cette agence.";
    REMUNERATION_INVALID = "170", "remuneration_invalid", "Le système de rémunération est RFP, RPV, RPS ou RMX.";
    DIRECT_RFP_ONLY = "171", "direct_rfp_only", "Seul le système RFP accepte la transmission en direct.";
    REQUEST_INVOICE_COUNT = "180", "request_invoice_count", "Une demande de paiement contient exactement une facture.";
    REQUEST_NUMBER_INVALID = "181", "request_number_invalid", "Le numéro de demande externe compte de 1 à 15 chiffres et n'est pas zéro.";
    REQUEST_DUPLICATE = "182", "request_duplicate", "Ce numéro de demande externe a déjà été reçu pour cette agence.";
    DEVELOPER_INVALID = "183", "developer_invalid", "Le numéro du développeur du logiciel est invalide.";
    AGENCY_TEST_PERIOD = "190", "agency_test_period", "Agence en période de test : facture non comptabilisée pour paiement. Retransmettez-la après la mise en production avec un nouveau numéro d'attestation.";
    OTHER = "199", "other", "La demande contient une erreur.";
}

/// The message for a problem code (domain `ProblemCode::as_str()` or a sandbox rule's key):
/// the exact key first, then the longest catalogue key that starts it as a family
/// (`nam_check_digit_extra` -> `nam_check_digit`), else [`OTHER`].
pub fn for_problem(key: &str) -> MessageCode {
    if let Some(exact) = CATALOGUE.iter().find(|message| message.key == key) {
        return *exact;
    }
    CATALOGUE
        .iter()
        .filter(|message| {
            key.strip_prefix(message.key)
                .is_some_and(|rest| rest.starts_with('_'))
        })
        .max_by_key(|message| message.key.len())
        .copied()
        .unwrap_or(OTHER)
}

/// The message for a three-digit code.
pub fn by_code(code: &str) -> Option<MessageCode> {
    CATALOGUE
        .iter()
        .find(|message| message.code == code)
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_keys_are_unique_and_three_digits() {
        for (index, message) in CATALOGUE.iter().enumerate() {
            assert_eq!(message.code.len(), 3, "{}", message.code);
            assert!(message.code.chars().all(|c| c.is_ascii_digit()));
            for other in &CATALOGUE[index + 1..] {
                assert_ne!(message.code, other.code);
                assert_ne!(message.key, other.key);
            }
        }
    }

    #[test]
    fn problems_map_by_key_then_family_then_other() {
        assert_eq!(for_problem("nam_check_digit").code, "105");
        assert_eq!(for_problem("units_not_positive").code, "144");
        assert_eq!(for_problem("nam_check_digit_extra").code, "105");
        assert_eq!(for_problem("something_new").code, OTHER.code);
        assert_eq!(by_code("152"), Some(LATE_SERVICE));
        assert_eq!(by_code("999"), None);
    }
}
