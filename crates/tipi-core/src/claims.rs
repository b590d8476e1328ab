//! Claims (demandes de paiement): create, edit, validate (every problem at once), list. A
//! refused claim stays editable and keeps its history (the store keeps both).

use tipi_domain::claim::{has_errors, Claim, Problem, ProblemCode};
use tipi_store::claims::{ClaimEvent, ClaimId, ClaimState, StoredClaim};
use tipi_store::receivability::Receivability;

use crate::engine::Tipi;
use crate::error::{CoreError, CoreResult};

/// A claim with what is wrong with it today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimView {
    /// The stored claim.
    pub stored: StoredClaim,
    /// Its problems today (errors and warnings).
    pub problems: Vec<Problem>,
}

/// A claim with its history and RAMQ's answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimDetail {
    /// The claim and its problems.
    pub view: ClaimView,
    /// What happened to it, oldest first.
    pub history: Vec<ClaimEvent>,
    /// RAMQ's answers, oldest first.
    pub receivability: Vec<Receivability>,
}

/// Which claims to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimFilter {
    /// Every claim.
    All,
    /// Claims in one state.
    State(ClaimState),
}

/// The most claims [`Tipi::list_claims`] returns per state.
const LIST_LIMIT: u32 = 10_000;

/// Claims of a listing, with whether a state had more than the listing shows.
#[derive(Debug, Clone)]
pub struct ClaimList {
    /// The claims, in life order of their state, most recent first within one.
    pub claims: Vec<ClaimView>,
    /// Some state had more claims than `per_state`: the oldest of it are left out.
    pub truncated: bool,
}

impl Tipi {
    /// Every problem of `claim` if sent today: tipi-domain's rules plus the software's
    /// clientele (a batch refuses a claim of another clientele).
    pub fn validate_claim(&self, claim: &Claim) -> Vec<Problem> {
        let mut problems = claim.validate(self.today());
        if claim.clientele != self.software.developer.clientele() {
            problems.push(Problem::new(ProblemCode::ClienteleMismatch, "clientele"));
        }
        problems
    }

    fn view(&self, stored: StoredClaim) -> ClaimView {
        let problems = self.validate_claim(&stored.claim);
        ClaimView { stored, problems }
    }

    /// Stores a new claim as Draft, whatever its problems, and lists them.
    pub async fn create_claim(&self, claim: Claim) -> CoreResult<ClaimView> {
        let id = self.store.create_claim(&claim, self.now()).await?;
        Ok(self.view(self.store.claim(id).await?))
    }

    /// Replaces an editable claim's content (Draft, Ready or Refused); it becomes Draft again.
    pub async fn update_claim(&self, id: ClaimId, claim: Claim) -> CoreResult<ClaimView> {
        let current = self.store.claim(id).await?;
        if !current.state.is_editable() {
            return Err(CoreError::WrongState(current.state));
        }
        self.store.update_claim(id, &claim, self.now()).await?;
        Ok(self.view(self.store.claim(id).await?))
    }

    /// Marks a Draft claim Ready to send, refused with every blocking problem if it has any.
    pub async fn mark_ready(&self, id: ClaimId) -> CoreResult<ClaimView> {
        let stored = self.store.claim(id).await?;
        if stored.state == ClaimState::Ready {
            return Ok(self.view(stored));
        }
        if stored.state != ClaimState::Draft {
            return Err(CoreError::WrongState(stored.state));
        }
        let problems = self.validate_claim(&stored.claim);
        if has_errors(&problems) {
            return Err(CoreError::Validation(problems));
        }
        self.store.mark_claim_ready(id, self.now()).await?;
        Ok(self.view(self.store.claim(id).await?))
    }

    /// Creates a claim and marks it Ready in one go (import, command line); a claim with
    /// blocking problems is kept as Draft and the problems are returned as the error.
    pub async fn add_ready_claim(&self, claim: Claim) -> CoreResult<ClaimView> {
        let view = self.create_claim(claim).await?;
        self.mark_ready(view.stored.id).await
    }

    /// Deletes a claim that never left the computer (Draft or Ready).
    pub async fn delete_claim(&self, id: ClaimId) -> CoreResult<()> {
        let state = self.store.claim_state(id).await?;
        if !matches!(state, ClaimState::Draft | ClaimState::Ready) {
            return Err(CoreError::WrongState(state));
        }
        Ok(self.store.delete_claim(id).await?)
    }

    /// One claim with its history and RAMQ's answers.
    pub async fn claim(&self, id: ClaimId) -> CoreResult<ClaimDetail> {
        let stored = self.store.claim(id).await?;
        Ok(ClaimDetail {
            history: self.store.claim_history(id).await?,
            receivability: self.store.receivability_history(id).await?,
            view: self.view(stored),
        })
    }

    /// The claim with this external invoice number (no_fact_ext), if any.
    pub async fn claim_by_external_id(&self, external_id: &str) -> CoreResult<Option<ClaimId>> {
        Ok(self
            .store
            .claim_by_external_id(external_id.trim())
            .await?
            .map(|c| c.id))
    }

    /// Claims matching `filter`, in life order of their state, most recent first within one
    /// (at most 10,000 per state).
    pub async fn list_claims(&self, filter: ClaimFilter) -> CoreResult<Vec<ClaimView>> {
        Ok(self.list_recent_claims(filter, LIST_LIMIT).await?.claims)
    }

    /// As [`Tipi::list_claims`], with at most the `per_state` most recently changed claims of
    /// each state: after years of billing, a screen lists what a person reads, not every paid
    /// claim.
    pub async fn list_recent_claims(
        &self,
        filter: ClaimFilter,
        per_state: u32,
    ) -> CoreResult<ClaimList> {
        let states: Vec<ClaimState> = match filter {
            ClaimFilter::All => ClaimState::ALL.to_vec(),
            ClaimFilter::State(state) => vec![state],
        };
        let mut list = ClaimList {
            claims: Vec::new(),
            truncated: false,
        };
        for state in states {
            // One more than shown tells whether the state has more.
            let mut stored = self.store.claims_in_state(state, per_state + 1).await?;
            if stored.len() > per_state as usize {
                stored.truncate(per_state as usize);
                list.truncated = true;
            }
            list.claims.extend(stored.into_iter().map(|s| self.view(s)));
        }
        Ok(list)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{offline_tipi, valid_claim};
    use tipi_domain::claim::Patient;

    #[tokio::test]
    async fn a_claim_is_stored_with_all_its_problems_and_ready_only_when_valid() {
        let (tipi, _clock) = offline_tipi().await;
        let mut bad = valid_claim("F-1");
        bad.place = "12".into();
        bad.patient = Patient::WithNam {
            nam: "TREJ85531519".into(),
            surname: String::new(),
            first_name: String::new(),
        };
        bad.lines[0].units = 0;
        let view = tipi.create_claim(bad).await.unwrap();
        let codes: Vec<&str> = view.problems.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(
            codes,
            ["place_invalid", "nam_check_digit", "units_not_positive"],
            "every problem at once"
        );
        let refused = tipi.mark_ready(view.stored.id).await.unwrap_err();
        assert_eq!(refused.code(), "Validation");
        assert!(
            !refused.message(Lang::Fr).contains("TREJ"),
            "no NAM in messages"
        );

        let fixed = tipi
            .update_claim(view.stored.id, valid_claim("F-1"))
            .await
            .unwrap();
        assert!(fixed.problems.is_empty());
        let ready = tipi.mark_ready(view.stored.id).await.unwrap();
        assert_eq!(ready.stored.state, ClaimState::Ready);
        let detail = tipi.claim(view.stored.id).await.unwrap();
        assert_eq!(detail.history.len(), 3, "created, edited, ready");
        let listed = tipi
            .list_claims(ClaimFilter::State(ClaimState::Ready))
            .await
            .unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(tipi.list_claims(ClaimFilter::All).await.unwrap().len(), 1);
        tipi.add_ready_claim(valid_claim("F-9")).await.unwrap();
        let recent = tipi.list_recent_claims(ClaimFilter::All, 1).await.unwrap();
        let ids: Vec<&str> = recent
            .claims
            .iter()
            .map(|c| c.stored.claim.external_id.as_str())
            .collect();
        assert_eq!(
            (ids, recent.truncated),
            (vec!["F-9"], true),
            "the most recent"
        );
        let all = tipi.list_recent_claims(ClaimFilter::All, 2).await.unwrap();
        assert_eq!((all.claims.len(), all.truncated), (2, false));
    }

    #[tokio::test]
    async fn another_clientele_than_the_softwares_is_a_problem() {
        let (tipi, _clock) = offline_tipi().await;
        let mut claim = valid_claim("F-2");
        claim.clientele = tipi_domain::ids::Clientele::Dentists;
        let codes: Vec<&str> = tipi
            .validate_claim(&claim)
            .iter()
            .map(|p| p.code.as_str())
            .collect();
        assert_eq!(codes, ["clientele_mismatch"]);
    }
    use tipi_domain::lang::Lang;
}
