//! Rules for the tracker choices of `[tracking]`: every `[tracking.party.ID]` names a party (the
//! values themselves are checked by the schema, which lists the valid ones).

use super::Checker;
use crate::scenario::error::FieldPath;
use crate::scenario::schema::Scenario;

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
