//! The cluster examples under `deploy/` run for real, without a scheduler: the Slurm array script is
//! run once per task with the variables Slurm would set, the Kubernetes Indexed Job's manifest is
//! parsed and its pod command run once per completion index, and in both cases the merge step's own
//! command merges the shards into exactly the bytes of the unsharded campaign.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::{files, run_ok};

const RUNS: &str = "5";
const SCENARIO: &str = "two-radars-one-threat";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("shieldnet-deploy-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// PATH with the directory of the `shieldnet` binary under test first (the scripts call `shieldnet`).
fn path_with_binary() -> String {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_shieldnet")).parent().unwrap().display().to_string();
    format!("{bin_dir}:{}", std::env::var("PATH").unwrap_or_default())
}

/// The unsharded campaign the shards must reproduce.
fn unsharded(out: &Path) -> BTreeMap<String, Vec<u8>> {
    run_ok(
        Command::new(env!("CARGO_BIN_EXE_shieldnet"))
            .args(["campaign", SCENARIO, "--runs", RUNS])
            .arg("--out")
            .arg(out),
    );
    files(out)
}

fn assert_same(merged: &Path, whole: &BTreeMap<String, Vec<u8>>) {
    let m = files(merged);
    assert_eq!(m.keys().collect::<Vec<_>>(), whole.keys().collect::<Vec<_>>());
    for (name, bytes) in whole {
        assert!(m[name] == *bytes, "{name} differs between the merged shards and the unsharded campaign");
    }
}

#[test]
fn slurm_array_shards_merge_into_the_unsharded_campaign() {
    let out = tmp("slurm");
    let k = 3;
    for i in 0..k {
        run_ok(
            Command::new("bash")
                .arg(repo().join("deploy/slurm-campaign.sh"))
                .env("PATH", path_with_binary())
                .env("SLURM_ARRAY_JOB_ID", "4242")
                .env("SLURM_ARRAY_TASK_ID", i.to_string())
                .env("SLURM_ARRAY_TASK_COUNT", k.to_string())
                .env("SLURM_CPUS_PER_TASK", "1")
                .env("SCENARIO", SCENARIO)
                .env("RUNS", RUNS)
                .env("OUT", &out),
        );
        // Task I wrote shard I of K: the runs i with i mod K = I.
        let runs = std::fs::read_to_string(out.join(format!("shard-{i}/runs.csv"))).unwrap();
        let idx: Vec<u64> =
            runs.lines().skip(1).map(|l| l.split(',').nth(1).unwrap().parse().unwrap()).collect();
        assert_eq!(idx, (0..5u64).filter(|r| r % k == i).collect::<Vec<_>>(), "shard {i}");
    }
    // Without the array variables the script refuses to run.
    let bad = Command::new("bash")
        .arg(repo().join("deploy/slurm-campaign.sh"))
        .env("PATH", path_with_binary())
        .env_remove("SLURM_ARRAY_TASK_ID")
        .env_remove("SLURM_ARRAY_TASK_COUNT")
        .env("SLURM_ARRAY_JOB_ID", "1")
        .env("OUT", &out)
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--array"));
    run_ok(
        Command::new("bash")
            .arg(repo().join("deploy/slurm-merge.sh"))
            .env("PATH", path_with_binary())
            .env("OUT", &out),
    );
    assert_same(&out.join("merged"), &unsharded(&tmp("slurm-whole")));
}

/// The first container's `args` of a Job manifest, and the manifest itself.
fn job(path: &str) -> (serde_norway::Value, String) {
    let text = std::fs::read_to_string(repo().join(path)).unwrap();
    let doc: serde_norway::Value = serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let c = &doc["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(c["command"], serde_norway::from_str::<serde_norway::Value>(r#"["/bin/sh", "-c"]"#).unwrap());
    let args = c["args"][0].as_str().unwrap_or_else(|| panic!("{path}: args")).to_string();
    (doc, args)
}

#[test]
fn kubernetes_indexed_job_shards_merge_into_the_unsharded_campaign() {
    let (doc, args) = job("deploy/k8s-campaign-job.yaml");
    let spec = &doc["spec"];
    assert_eq!(doc["kind"].as_str(), Some("Job"));
    assert_eq!(spec["completionMode"].as_str(), Some("Indexed"));
    let completions = spec["completions"].as_u64().unwrap();
    assert_eq!(spec["parallelism"].as_u64(), Some(completions));
    let env = &spec["template"]["spec"]["containers"][0]["env"];
    let var = |name: &str| {
        env.as_sequence()
            .unwrap()
            .iter()
            .find(|e| e["name"].as_str() == Some(name))
            .and_then(|e| e["value"].as_str())
            .map(str::to_string)
    };
    assert_eq!(var("SHARDS"), Some(completions.to_string()), "SHARDS must equal completions");
    assert!(args.contains("$JOB_COMPLETION_INDEX/$SHARDS"), "shard index from JOB_COMPLETION_INDEX: {args}");
    let mounts = &spec["template"]["spec"]["containers"][0]["volumeMounts"][0];
    assert_eq!(mounts["mountPath"].as_str(), Some("/results"));
    // Run each pod's command as Kubernetes would (index in JOB_COMPLETION_INDEX), with the shared
    // volume at a temporary directory and the small test scenario instead of the default one.
    let out = tmp("k8s");
    let results = out.display().to_string();
    let pod = args.replace("/results", &results).replace("epaa-2015", SCENARIO);
    assert_ne!(pod, args);
    for i in 0..completions {
        run_ok(
            Command::new("/bin/sh")
                .args(["-c", &pod])
                .env("PATH", path_with_binary())
                .env("JOB_COMPLETION_INDEX", i.to_string())
                .env("SHARDS", var("SHARDS").unwrap())
                .env("RUNS", RUNS),
        );
    }
    let (merge_doc, merge_args) = job("deploy/k8s-merge-job.yaml");
    assert_eq!(merge_doc["kind"].as_str(), Some("Job"));
    run_ok(
        Command::new("/bin/sh")
            .args(["-c", &merge_args.replace("/results", &results)])
            .env("PATH", path_with_binary()),
    );
    assert_same(&out.join("merged"), &unsharded(&tmp("k8s-whole")));
}
