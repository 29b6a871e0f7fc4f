//! Rules for the tracker choices of `[tracking]`: every `[tracking.party.ID]` names a party, and
//! JIPDA (which confirms by existence) is not combined with the SPRT confirmation (the values
//! themselves are checked by the schema, which lists the valid ones).

use super::Checker;
use crate::scenario::error::FieldPath;
use crate::scenario::schema::{AssociatorChoice, ConfirmationChoice, Scenario};

/// Checks that each per-party override names a `[[party]]`.
pub(super) fn party_overrides<'a>(
    c: &mut Checker,
    s: &'a Scenario,
    parties: impl IntoIterator<Item = &'a str> + Clone,
) {
    let p = FieldPath::root().key("tracking").key("party");
    for id in s.tracking.party.keys() {
        c.known(p.key(id.as_str()), id, parties.clone(), "party", "parties");
    }
}

/// Checks that no tracker resolves to `associator = "jipda"` with `confirmation = "sprt"` (JIPDA
/// confirms and deletes tracks by their probability of existence).
pub(super) fn jipda_confirmation(c: &mut Checker, s: &Scenario) {
    let t = &s.tracking;
    let clash = |a: AssociatorChoice, k: ConfirmationChoice| {
        a == AssociatorChoice::Jipda && k == ConfirmationChoice::Sprt
    };
    let root = FieldPath::root().key("tracking");
    let hint = "JIPDA confirms and deletes tracks by their probability of existence: drop `confirmation`, \
                or choose `associator = \"gnn\"` or `\"jpda\"`";
    let message = "`confirmation = \"sprt\"` does not apply with `associator = \"jipda\"`";
    if clash(t.associator, t.confirmation) {
        c.push(root.key("confirmation"), message, hint);
    }
    for (id, o) in &t.party {
        if o.associator.is_none() && o.confirmation.is_none() {
            continue; // reported on [tracking] itself if at all
        }
        let r = t.for_party(id);
        if clash(r.associator, r.confirmation) {
            let field = if o.confirmation.is_some() { "confirmation" } else { "associator" };
            c.push(root.key("party").key(id.as_str()).key(field), message, hint);
        }
    }
}
