//! `shieldnet campaign` and `shieldnet merge` as separate processes: byte-identical output for any
//! thread count, K shards merged equal the unsharded campaign, mismatched shards are refused.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::{files, run_ok};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_shieldnet"))
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("shieldnet-campaign-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn campaign(out: &Path, extra: &[&str]) -> Output {
    let mut c = bin();
    c.args(["campaign", "two-radars-one-threat", "--runs", "5", "--vary", "radar.xband-kurecik.pd=0.5,0.9"]);
    c.args(extra).arg("--out").arg(out);
    run_ok(&mut c)
}

#[test]
fn threads_and_shards_give_identical_bytes() {
    let one = tmp("t1");
    let two = tmp("t2");
    campaign(&one, &["--threads", "1"]);
    campaign(&two, &["--threads", "2"]);
    let a = files(&one);
    assert!(
        a.contains_key("threats.csv") && a.contains_key("summary.json") && a.contains_key("plots/sweep.svg")
    );
    assert_eq!(a, files(&two), "1 and 2 threads differ");

    // Three shards as three separate processes, then merged (given out of order).
    let shard_dirs: Vec<PathBuf> = (0..3).map(|i| tmp(&format!("s{i}"))).collect();
    let mut children: Vec<_> = shard_dirs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            bin()
                .args([
                    "campaign",
                    "two-radars-one-threat",
                    "--runs",
                    "5",
                    "--vary",
                    "radar.xband-kurecik.pd=0.5,0.9",
                ])
                .args(["--threads", "1", "--shard", &format!("{i}/3"), "--out"])
                .arg(d)
                .stdout(std::process::Stdio::null())
                .spawn()
                .expect("spawn shard")
        })
        .collect();
    for c in &mut children {
        assert!(c.wait().unwrap().success());
    }
    let merged = tmp("merged");
    run_ok(
        bin()
            .arg("merge")
            .arg(&shard_dirs[2])
            .arg(&shard_dirs[0])
            .arg(&shard_dirs[1])
            .arg("--out")
            .arg(&merged),
    );
    assert_eq!(a, files(&merged), "merged shards differ from the unsharded campaign");

    // A missing shard, a shard of another seed, a shard of another scenario: refused, exit code 2.
    let out = bin()
        .arg("merge")
        .arg(&shard_dirs[0])
        .arg(&shard_dirs[1])
        .arg("--out")
        .arg(tmp("m2"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("shard 2/3 is missing"));

    let other_seed = tmp("seed");
    run_ok(
        bin()
            .args([
                "campaign",
                "two-radars-one-threat",
                "--runs",
                "5",
                "--vary",
                "radar.xband-kurecik.pd=0.5,0.9",
            ])
            .args(["--seed", "99", "--shard", "2/3", "--no-plots", "--out"])
            .arg(&other_seed),
    );
    let out = bin()
        .arg("merge")
        .arg(&shard_dirs[0])
        .arg(&shard_dirs[1])
        .arg(&other_seed)
        .arg("--out")
        .arg(tmp("m3"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("seed 99") && err.contains("one campaign"), "{err}");

    let other_scn = tmp("scn");
    run_ok(
        bin()
            .args(["campaign", "epaa-2015", "--runs", "1", "--shard", "0/3", "--no-plots", "--out"])
            .arg(&other_scn),
    );
    let out = bin()
        .arg("merge")
        .arg(&other_scn)
        .arg(&shard_dirs[1])
        .arg(&shard_dirs[2])
        .arg("--out")
        .arg(tmp("m4"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("scenario") && err.contains("epaa-2015"), "{err}");

    for d in [one, two, merged, other_seed, other_scn].iter().chain(&shard_dirs) {
        let _ = std::fs::remove_dir_all(d);
    }
}

#[test]
fn bad_arguments_are_refused_clearly() {
    let out = bin()
        .args(["campaign", "--runs", "1", "--vary", "cooperation.mode=M0,M9", "--out"])
        .arg(tmp("bad"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("M9"), "{}", String::from_utf8_lossy(&out.stderr));
    let out =
        bin().args(["campaign", "--runs", "1", "--shard", "3/3", "--out"]).arg(tmp("bad2")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--shard 3/3"));
}
