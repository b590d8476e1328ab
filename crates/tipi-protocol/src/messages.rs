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
    NAM_MISSING = "100", "nam_missing", "Le NAM est absent.";
    NAM_LENGTH = "101", "nam_length", "Le NAM doit compter 12 caractères.";
    NAM_LETTERS = "102", "nam_letters", "Les quatre premiers caractères du NAM doivent être des lettres.";
    NAM_DATE = "103", "nam_date", "La date de naissance contenue dans le NAM est impossible.";
    NAM_ADMIN_CHAR = "104", "nam_administrative_character", "Le 11e caractère du NAM est invalide.";
    NAM_CHECK_DIGIT = "105", "nam_check_digit", "Le chiffre de contrôle du NAM est invalide.";
    NAM_NAME_MISMATCH = "106", "nam_name_mismatch", "Le NAM ne correspond pas au nom et au prénom de la personne (avertissement).";
    PATIENT_IDENTITY = "110", "patient_identity", "La personne doit être identifiée par son NAM ou par son nom, sa date de naissance et son sexe.";
    PATIENT_NAME = "111", "patient_name", "Le nom ou le prénom de la personne est absent.";
    PATIENT_BIRTH_DATE = "112", "patient_birth_date", "La date de naissance de la personne est invalide.";
    PATIENT_SEX = "113", "patient_sex", "Le sexe de la personne est invalide.";
    PROFESSIONAL = "120", "professional", "Le numéro du professionnel est invalide.";
    PLACE_FORMAT = "130", "place_format", "Le code du lieu de consultation est invalide.";
    PLACE_UNKNOWN = "131", "place_unknown", "Le lieu de consultation est inconnu de la Régie.";
    LINES_MISSING = "140", "lines_missing", "La facture ne contient aucune ligne.";
    BILLING_CODE_FORMAT = "141", "billing_code_format", "Le code de facturation est invalide.";
    BILLING_CODE_UNKNOWN = "142", "billing_code_unknown", "Le code de facturation est inconnu ou ne s'applique pas à ce professionnel.";
    ROLE = "143", "role", "Le code de rôle est invalide.";
    UNITS = "144", "units", "Le nombre d'unités est invalide.";
    AMOUNT = "145", "amount", "Le montant réclamé est invalide.";
    LINE_NUMBER = "146", "line_number", "Les numéros de ligne doivent se suivre à partir de 1.";
    SERVICE_DATE_FORMAT = "150", "service_date_format", "La date de service est invalide.";
    SERVICE_DATE_FUTURE = "151", "service_date_future", "La date de service est postérieure à la date de réception.";
    SERVICE_DATE_LATE = "152", "service_date_late", "La demande a été reçue plus de 90 jours après la date de service.";
    SERVICE_DATE_BEFORE_BIRTH = "153", "service_date_before_birth", "La date de service précède la date de naissance.";
    EXTERNAL_ID = "160", "external_id", "Le numéro de facture externe est absent ou invalide.";
    EXTERNAL_ID_DUPLICATE = "161", "external_id_duplicate", "Ce numéro de facture externe a déjà été reçu pour cette agence.";
    REMUNERATION = "170", "remuneration", "Le système de rémunération est invalide.";
    DIRECT_RFP_ONLY = "171", "remuneration_direct_rfp_only", "Seul le système RFP accepte la transmission en direct.";
    CLIENTELE = "172", "clientele", "Le type de clientèle est invalide.";
    REQUEST_EMPTY = "180", "request_empty", "La demande de paiement ne contient aucune facture.";
    REQUEST_DUPLICATE = "181", "request_duplicate", "Ce numéro de demande externe a déjà été reçu pour cette agence.";
    TEST_PERIOD = "190", "agency_test_period", "Agence en période de test : facture non comptabilisée pour paiement. Retransmettre après la mise en production avec un nouveau numéro d'attestation.";
    OTHER = "199", "other", "La demande contient une erreur.";
}

/// The message for a problem code (domain `ProblemCode::as_str()` or a sandbox rule's key):
/// the exact key first, then the longest catalogue key that starts it as a family
/// (`units_zero` -> `units`), else [`OTHER`].
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
        assert_eq!(for_problem("units_zero").code, "144");
        assert_eq!(for_problem("something_new").code, OTHER.code);
        assert_eq!(by_code("152"), Some(SERVICE_DATE_LATE));
        assert_eq!(by_code("999"), None);
    }
}
