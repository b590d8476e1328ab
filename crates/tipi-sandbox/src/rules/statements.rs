//! Statements of account (*états de compte*): per cycle, the receivable invoices received in
//! production up to its cut-off; a total under the minimum payment is carried forward.
//! A cycle's statement is available from 08:00 (Québec) on its payment date.

use chrono::{DateTime, Datelike, NaiveTime, Utc};
use rust_decimal::Decimal;
use tipi_domain::billing::{self, BillingCalendar};
use tipi_domain::calendar::BusinessCalendar;
use tipi_domain::time;
use tipi_protocol::statement::{EtatCompte, FactPaye};

use crate::rules::cycles;
use crate::store::exchanges::PaidInvoiceRow;

/// The statement's publication time on the payment date (sandbox model).
const AVAILABLE_AT: NaiveTime = time::RETURNS_TIME;

/// A statement and when it became available.
#[derive(Debug, Clone)]
pub(crate) struct Statement {
    pub(crate) etat: EtatCompte,
    pub(crate) available_at: DateTime<Utc>,
}

/// Every statement of the agency available at `now`, oldest first. A cycle gets a statement
/// when it has invoices or a carried amount.
pub(crate) fn available(
    transmission_number: &str,
    invoices: &[PaidInvoiceRow],
    now: DateTime<Utc>,
    business: &BusinessCalendar,
) -> Vec<Statement> {
    let Some(first) = invoices.iter().map(|i| i.received_on).min() else {
        return Vec::new();
    };
    let today = time::local_date(now);
    let calendar: BillingCalendar = cycles::calendar(first.year() - 1, today.year() + 1, business);
    let mut statements = Vec::new();
    let mut carried = Decimal::ZERO;
    for cycle in calendar.cycles.iter().filter(|c| c.cutoff >= first) {
        let available_at = time::at_local(cycle.payment_date, AVAILABLE_AT);
        if available_at > now {
            break;
        }
        let paid: Vec<FactPaye> = invoices
            .iter()
            .filter(|invoice| {
                calendar
                    .cycle_for_receipt(invoice.received_on)
                    .is_some_and(|c| c.number == cycle.number)
            })
            .map(|invoice| FactPaye {
                no_fact_ramq: invoice.no_fact_ramq.clone().unwrap_or_default(),
                no_fact_ext: invoice.no_fact_ext.clone(),
                no_attes: u32::try_from(invoice.no_attes).unwrap_or(0),
                dat_recep: invoice.received_on,
                mnt_acpt: invoice.amount.parse().unwrap_or(Decimal::ZERO),
            })
            .collect();
        if paid.is_empty() && carried.is_zero() {
            continue;
        }
        let cycle_total: Decimal = paid.iter().map(|f| f.mnt_acpt).sum();
        let due = carried + cycle_total;
        let (mnt_paye, mnt_report_suiv) = if billing::is_carried_forward(due) {
            (Decimal::ZERO, due)
        } else {
            (due, Decimal::ZERO)
        };
        statements.push(Statement {
            etat: EtatCompte {
                no_trans: transmission_number.to_owned(),
                no_cycle: cycle.number,
                dat_deb_cycle: cycle.start,
                dat_fin_cycle: cycle.end,
                dat_limi_recep: cycle.cutoff,
                dat_paimt: cycle.payment_date,
                mnt_report_anter: money(carried),
                mnt_fact_cycle: money(cycle_total),
                mnt_paye: money(mnt_paye),
                mnt_report_suiv: money(mnt_report_suiv),
                liste_fact_paye: paid,
            },
            available_at,
        });
        carried = mnt_report_suiv;
    }
    statements
}

/// Amounts on a statement always show cents (`0.00`).
fn money(mut amount: Decimal) -> Decimal {
    amount.rescale(2);
    amount
}
