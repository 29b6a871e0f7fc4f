//! Optional: the CZML that `shieldnet export --czml` writes loads in CesiumJS itself
//! (`Cesium.CzmlDataSource` in headless Chromium, via tools/cesium-check). Runs when node, the npm
//! `cesium` package (`npm install` in tools/cesium-check) and Chromium are present; otherwise it says
//! what is missing and passes without checking.

use std::path::Path;
use std::process::Command;

fn missing_tool() -> Option<String> {
    let tools = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/cesium-check");
    if Command::new("node").arg("--version").output().is_err() {
        return Some("node is not installed".into());
    }
    if !tools.join("node_modules/cesium/Build/Cesium/Cesium.js").exists() {
        return Some(format!("the cesium npm package is missing: run `npm install` in {}", tools.display()));
    }
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        return Some(format!("no Chromium at {chromium} (set CHROMIUM, or apt-get install chromium)"));
    }
    None
}

#[test]
fn exported_czml_loads_in_cesiumjs() {
    if let Some(why) = missing_tool() {
        eprintln!("SKIPPED exported_czml_loads_in_cesiumjs: {why}");
        return;
    }
    let dir = std::env::temp_dir().join(format!("shieldnet-cesium-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let bin = env!("CARGO_BIN_EXE_shieldnet");
    let ok = |c: &mut Command| {
        let o = c.output().unwrap();
        assert!(o.status.success(), "{c:?}: {}", String::from_utf8_lossy(&o.stderr));
        o
    };
    ok(Command::new(bin).args(["run", "two-radars-one-threat", "--out"]).arg(&dir));
    let czml = dir.join("run.czml");
    ok(Command::new(bin).arg("export").arg(&dir).arg("--czml").arg(&czml));
    // What Cesium should find, read from the file independently: one entity per packet after the
    // document packet, a position on those that carry one, the clock from the document packet.
    let packets: Vec<serde_json::Value> = serde_json::from_slice(&std::fs::read(&czml).unwrap()).unwrap();
    let entities = packets.iter().filter(|p| p["id"] != "document").count();
    let positioned = packets.iter().filter(|p| p["id"] != "document" && p.get("position").is_some()).count();
    let interval = packets[0]["clock"]["interval"].as_str().unwrap();
    let start = interval.split('/').next().unwrap();

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/cesium-check/check.mjs");
    let out = Command::new("node").arg(&script).arg(&czml).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "Cesium refused the CZML: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let verdict: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(verdict["errors"], serde_json::json!([]));
    assert_eq!(verdict["entities"].as_u64(), Some(entities as u64), "{verdict}");
    assert_eq!(verdict["with_position"].as_u64(), Some(positioned as u64), "{verdict}");
    assert_eq!(verdict["clock_start"].as_str(), Some(start), "{verdict}");
    assert!(entities >= 5, "a run exports sites, coverage, threats and tracks: {entities}");
}
