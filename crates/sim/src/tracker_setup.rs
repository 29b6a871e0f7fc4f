//! Each party's tracker settings from `[tracking]`: the shared M-of-N and process-noise numbers plus
//! the party's filter, motion model, associator and confirmation choices.

use crate::scenario::schema::{
    AssociatorChoice, ConfirmationChoice, FilterChoice, MotionChoice, ResolvedTracking, TrackingSettings,
};
use shieldnet_tracking::filter::Estimator;
use shieldnet_tracking::imm::{ImmConfig, ReentryConfig};
use shieldnet_tracking::{Associator, Confirmation, TrackerConfig};

/// The tracker configuration of party `party_id`.
pub fn tracker_config(t: &TrackingSettings, party_id: &str) -> TrackerConfig {
    let base = TrackerConfig {
        confirm_m: t.confirm_m,
        confirm_n: t.confirm_n,
        delete_after_misses: t.delete_after_misses,
        accel_noise_m2_s3: t.accel_noise_m2_s3,
        ..TrackerConfig::default()
    };
    apply(base, t.for_party(party_id))
}

/// `base` with the four choices applied (the default choices leave it unchanged).
pub fn apply(base: TrackerConfig, c: ResolvedTracking) -> TrackerConfig {
    TrackerConfig {
        estimator: match c.filter {
            FilterChoice::Ekf => Estimator::Ekf,
            FilterChoice::Ukf => Estimator::Ukf,
        },
        imm: match c.motion {
            MotionChoice::Ballistic => None,
            MotionChoice::Imm => Some(ImmConfig::default()),
            MotionChoice::ImmReentry => {
                Some(ImmConfig { reentry: Some(ReentryConfig::default()), ..ImmConfig::default() })
            }
        },
        associator: match c.associator {
            AssociatorChoice::Gnn => Associator::Gnn,
            AssociatorChoice::Jpda => Associator::Jpda,
            AssociatorChoice::Jipda => Associator::Jipda,
        },
        confirmation: match c.confirmation {
            ConfirmationChoice::MOfN => Confirmation::MOfN,
            ConfirmationChoice::Sprt => Confirmation::Sprt,
        },
        ..base
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::schema::PartyTracking;

    #[test]
    fn defaults_leave_the_tracker_unchanged_and_a_party_override_wins() {
        let t = TrackingSettings::default();
        assert_eq!(tracker_config(&t, "A"), TrackerConfig::default());
        let mut t = TrackingSettings { filter: FilterChoice::Ukf, motion: MotionChoice::Imm, ..t };
        t.party.insert(
            "B".into(),
            PartyTracking {
                motion: Some(MotionChoice::ImmReentry),
                associator: Some(AssociatorChoice::Jpda),
                ..Default::default()
            },
        );
        let a = tracker_config(&t, "A");
        assert_eq!((a.estimator, a.associator), (Estimator::Ukf, Associator::Gnn));
        assert!(a.imm.is_some_and(|i| i.reentry.is_none()));
        let b = tracker_config(&t, "B");
        assert_eq!(
            (b.estimator, b.associator, b.confirmation),
            (Estimator::Ukf, Associator::Jpda, Confirmation::MOfN)
        );
        assert!(b.imm.is_some_and(|i| i.reentry.is_some()));
    }
}
