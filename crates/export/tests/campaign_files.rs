//! Campaign files read back to the same results, and the SVG plots are well-formed XML.

use shieldnet_export::campaign_out::{read_campaign_dir, write_campaign_dir};
use shieldnet_export::plots::write_campaign_plots;
use shieldnet_sim::campaign::{CampaignPlan, run_campaign};
use shieldnet_sim::scenario::load_builtin;

#[test]
fn files_round_trip_and_plots_parse() {
    let plan = CampaignPlan::new(
        load_builtin("two-radars-one-threat").unwrap(),
        None,
        4,
        vec!["radar.xband-kurecik.pd=0.4,0.95".parse().unwrap()],
    )
    .unwrap();
    let res = run_campaign(&plan, None, 2, &|| {}).unwrap();
    let dir = std::env::temp_dir().join(format!("shieldnet-campaign-files-{}", std::process::id()));
    let summaries = write_campaign_dir(&dir, &res).unwrap();
    assert_eq!(summaries.len(), 2);
    assert_eq!(read_campaign_dir(&dir).unwrap(), res, "CSV round trip changed a value");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["combinations"][1]["label"], "radar.xband-kurecik.pd=0.95");
    assert_eq!(summary["combinations"][0]["runs"], 4);
    let jsonl = std::fs::read_to_string(dir.join("threats.jsonl")).unwrap();
    assert_eq!(jsonl.lines().count(), res.threats.len());

    write_campaign_plots(&dir.join("plots"), &res, &summaries).unwrap();
    for f in ["leakers", "interceptors", "detection", "picture", "sweep"] {
        let text = std::fs::read_to_string(dir.join("plots").join(format!("{f}.svg"))).unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{f}.svg: {e}"));
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        assert!(text.contains("two-radars-one-threat"), "{f}.svg has no title");
    }
    let sweep = std::fs::read_to_string(dir.join("plots/sweep.svg")).unwrap();
    assert!(sweep.contains("<polygon"), "no confidence band in the sweep chart");
    let _ = std::fs::remove_dir_all(&dir);
}
