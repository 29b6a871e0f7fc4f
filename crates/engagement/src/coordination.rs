//! Deconfliction between parties that keep their own fire control (cooperation mode M3).
//!
//! Every party announces a planned engagement before it launches and holds the launch for at least the
//! message latency, so that each party has seen the others' plans on the same threat by then. At launch
//! time each applies the same rule to the same announcements: an interceptor already in flight wins;
//! otherwise the plan with the earliest intercept wins, ties going to the party listed first in the
//! scenario. Losers withdraw their plans, so exactly one party engages.

use std::cmp::Ordering;

/// One party's claim on a threat.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Claim {
    /// Rank of the claiming party (its position in the scenario's party list).
    pub party_rank: u32,
    /// Whether its interceptor has already been launched.
    pub launched: bool,
    /// Announced intercept time, s.
    pub intercept_time_s: f64,
}

/// Whether claim `a` takes precedence over claim `b` (a total order for distinct parties).
pub fn precedes(a: &Claim, b: &Claim) -> bool {
    match (a.launched, b.launched) {
        (true, false) => return true,
        (false, true) => return false,
        _ => {}
    }
    match a.intercept_time_s.total_cmp(&b.intercept_time_s) {
        Ordering::Less => true,
        Ordering::Greater => false,
        Ordering::Equal => a.party_rank < b.party_rank,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_one_of_two_claims_wins_and_both_sides_agree() {
        let cases = [(100.0, 100.0, false, false), (90.0, 100.0, false, false), (120.0, 100.0, true, false)];
        for (ta, tb, la, lb) in cases {
            let a = Claim { party_rank: 0, launched: la, intercept_time_s: ta };
            let b = Claim { party_rank: 1, launched: lb, intercept_time_s: tb };
            assert!(precedes(&a, &b) ^ precedes(&b, &a), "{ta} {tb} {la} {lb}");
        }
        let a = Claim { party_rank: 0, launched: false, intercept_time_s: 120.0 };
        let b = Claim { party_rank: 1, launched: true, intercept_time_s: 100.0 };
        assert!(precedes(&b, &a));
    }
}
