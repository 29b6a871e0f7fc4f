//! The signed record of a run: partners exchange audit-log checkpoints during the run (so neither can
//! rewrite its history unnoticed), and the scenario's `[[policy]]` rules are checked over every
//! decision by the verifier.

use shieldnet_audit::{FindingKind, VerifyReport, verify_logs};
use shieldnet_node::policy::PolicyRule;
use shieldnet_sim::report::{RunRecord, RunReport};
use shieldnet_sim::scenario::schema::{PolicyRuleSpec, Scenario};
use shieldnet_sim::scenario::{self};
use shieldnet_sim::{RunOptions, run};

fn audited(scn: &Scenario) -> (RunReport, RunRecord) {
    let (report, rec) = run(scn, &RunOptions { record: true, audit: true, ..Default::default() }).unwrap();
    (report, rec.unwrap())
}

fn verify(rec: &RunRecord, logs: &[(&str, &[u8])]) -> VerifyReport {
    let policy = rec.audit_policy.clone().unwrap_or_else(|| shieldnet_node::policy::PolicySet::new(vec![]));
    verify_logs(logs, rec.audit_trust.as_ref().unwrap(), &policy.checks())
}

fn lines(log: &[u8]) -> Vec<serde_json::Value> {
    log.split(|b| *b == b'\n').filter(|l| !l.is_empty()).map(|l| serde_json::from_slice(l).unwrap()).collect()
}

#[test]
fn partners_hold_each_others_checkpoints_and_a_cut_log_is_caught() {
    let scn = scenario::load_builtin("epaa-2015").unwrap();
    let (_, rec) = audited(&scn);
    let logs: Vec<(&str, &[u8])> = rec.audit_logs.iter().map(|(p, l)| (p.as_str(), l.as_slice())).collect();
    let r = verify(&rec, &logs);
    assert!(r.is_ok(), "{:?}", r.findings);
    // Each party's log holds the other's signed checkpoints, received during the run.
    for (holder, other) in [("NATO", "RUS"), ("RUS", "NATO")] {
        let log = &rec.audit_logs.iter().find(|(p, _)| p == holder).unwrap().1;
        let held = lines(log)
            .iter()
            .filter(|v| v["kind"] == "partner_checkpoint" && v["body"]["party"] == other)
            .count();
        assert!(held >= 1, "{holder} holds no checkpoint of {other}");
    }
    // NATO cuts its log right after its first intermediate checkpoint, hiding all it did later: on
    // its own the cut log only looks unclosed, but RUS holds a later NATO checkpoint.
    let nato = &rec.audit_logs.iter().find(|(p, _)| p == "NATO").unwrap().1;
    let raw: Vec<&[u8]> = nato.split_inclusive(|b| *b == b'\n').collect();
    let first_cp = raw
        .iter()
        .position(|l| {
            let v: serde_json::Value = serde_json::from_slice(l).unwrap();
            v["kind"] == "checkpoint" && v["body"]["is_final"] == false
        })
        .expect("NATO's log has an intermediate checkpoint");
    let cut = raw[..=first_cp].concat();
    let rus = &rec.audit_logs.iter().find(|(p, _)| p == "RUS").unwrap().1;
    let r = verify(&rec, &[("NATO", &cut), ("RUS", rus)]);
    assert!(
        r.findings.iter().any(|f| f.kind == FindingKind::PartnerCheckpointMismatch && f.party == "NATO"),
        "{:?}",
        r.findings
    );
}

fn no_intercept_over(polygon: Vec<[f64; 2]>) -> PolicyRuleSpec {
    PolicyRuleSpec {
        rule: "no_intercept_over".into(),
        party: "NATO".into(),
        assets: None,
        region: Some("test region".into()),
        vertices: polygon,
    }
}

#[test]
fn policy_rules_flag_exactly_the_engagements_that_break_them() {
    let mut scn = scenario::load_builtin("epaa-2015").unwrap();
    // A region covering the whole theatre: every engagement NATO plans breaks the rule.
    scn.policies = vec![no_intercept_over(vec![[20.0, -20.0], [20.0, 80.0], [75.0, 80.0], [75.0, -20.0]])];
    let (report, rec) = audited(&scn);
    let planned = report
        .events
        .iter()
        .filter(|e| e.kind == "engagement_planned" && e.party.as_deref() == Some("NATO"))
        .count();
    assert!(planned > 0);
    let policy = rec.audit_policy.clone().expect("the record carries the rules");
    assert!(matches!(policy.rules[..], [PolicyRule::NoInterceptOver { .. }]));
    let logs: Vec<(&str, &[u8])> = rec.audit_logs.iter().map(|(p, l)| (p.as_str(), l.as_slice())).collect();
    let r = verify(&rec, &logs);
    let broken: Vec<_> = r.findings.iter().filter(|f| f.kind == FindingKind::Policy).collect();
    assert_eq!(broken.len(), planned, "{broken:?}");
    assert!(broken.iter().all(|f| f.party == "NATO" && f.detail.contains("over test region")));
    assert_eq!(r.findings.len(), broken.len(), "only policy findings: {:?}", r.findings);

    // A region far from the theatre (Australia): nothing breaks it.
    scn.policies =
        vec![no_intercept_over(vec![[-40.0, 110.0], [-40.0, 155.0], [-10.0, 155.0], [-10.0, 110.0]])];
    let (_, rec) = audited(&scn);
    let logs: Vec<(&str, &[u8])> = rec.audit_logs.iter().map(|(p, l)| (p.as_str(), l.as_slice())).collect();
    assert!(verify(&rec, &logs).is_ok());

    // NATO's agreed defended area is one small circle in the Atlantic (while it still defends its
    // real assets): every plan breaks the rule.
    scn.policies = vec![PolicyRuleSpec {
        rule: "impact_in_defended_area".into(),
        party: "NATO".into(),
        assets: Some(vec!["atlantic".into()]),
        region: None,
        vertices: vec![],
    }];
    scn.defended_assets.push(shieldnet_sim::scenario::schema::DefendedAsset {
        id: "atlantic".into(),
        party: "NATO".into(),
        lat_deg: 30.0,
        lon_deg: -40.0,
        radius_km: 10.0,
        value: 1.0,
    });
    let (report, rec) = audited(&scn);
    let planned = report
        .events
        .iter()
        .filter(|e| e.kind == "engagement_planned" && e.party.as_deref() == Some("NATO"))
        .count();
    let logs: Vec<(&str, &[u8])> = rec.audit_logs.iter().map(|(p, l)| (p.as_str(), l.as_slice())).collect();
    assert!(planned > 0);
    let r = verify(&rec, &logs);
    let broken: Vec<_> = r.findings.iter().filter(|f| f.kind == FindingKind::Policy).collect();
    assert_eq!(broken.len(), planned, "{broken:?}");
    assert!(broken.iter().all(|f| f.detail.contains("outside its defended area (atlantic)")));
}
