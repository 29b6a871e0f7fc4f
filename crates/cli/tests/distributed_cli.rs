//! Parties as separate processes over zenoh on loopback (feature `distributed`; `.ci/run` runs these
//! with `cargo test -p shieldnet --features distributed`). Without the feature, the commands exit 2
//! and say how to enable it.

use std::process::{Command, Output};

fn shieldnet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shieldnet")).args(args).output().expect("binary runs")
}

fn temp_dir(tag: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("shieldnet-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn keygen_writes_a_key_pair_that_a_node_accepts() {
    let dir = temp_dir("keygen");
    let out = shieldnet(&["keygen", "--party", "NATO", "--out", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let secret = std::fs::read_to_string(dir.join("NATO.key")).unwrap();
    let public = std::fs::read_to_string(dir.join("NATO.pub")).unwrap();
    let keys = shieldnet_audit::PartyKeys::from_secret_file(&secret).unwrap();
    let trust = shieldnet_audit::TrustStore::parse(&public).unwrap();
    assert_eq!(trust.get("NATO"), Some(&keys.verifying_key()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("NATO.key")).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "secret key readable by others: {mode:o}");
    }
    let bad = shieldnet(&["keygen", "--party", "bad party id!", "--out", dir.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(not(feature = "distributed"))]
#[test]
fn without_the_feature_distributed_commands_exit_2_and_say_how_to_enable_it() {
    for args in [vec!["run", "--distributed"], vec!["world"]] {
        let out = shieldnet(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--features distributed"), "{err}");
    }
}

#[cfg(feature = "distributed")]
mod distributed {
    use super::*;
    use shieldnet_net::frames::{self, Body, StepFrame};
    use shieldnet_net::topics;
    use shieldnet_net::transport::Transport;
    use shieldnet_net::zenoh_transport::{Endpoints, ZenohTransport};
    use std::process::Stdio;
    use std::sync::{Mutex, MutexGuard};
    use std::time::{Duration, Instant};

    /// These tests each start several processes that must keep pace with wall-clock timeouts: on a
    /// 2-core machine they run one at a time.
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

    fn serial() -> MutexGuard<'static, ()> {
        ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
    }

    #[test]
    fn a_distributed_lockstep_run_prints_exactly_the_in_process_json() {
        let _serial = serial();
        let local = shieldnet(&["run", "--json", "--seed", "2011"]);
        assert!(local.status.success());
        let remote = shieldnet(&["run", "--distributed", "--json", "--seed", "2011"]);
        assert!(remote.status.success(), "{}", String::from_utf8_lossy(&remote.stderr));
        assert_eq!(
            String::from_utf8_lossy(&remote.stdout),
            String::from_utf8_lossy(&local.stdout),
            "distributed lockstep must equal the in-process run byte for byte"
        );
    }

    fn keys(dir: &std::path::Path, parties: &[&str]) -> std::path::PathBuf {
        let mut trust = String::new();
        for p in parties {
            let out = shieldnet(&["keygen", "--party", p, "--out", dir.to_str().unwrap()]);
            assert!(out.status.success());
            trust.push_str(&std::fs::read_to_string(dir.join(format!("{p}.pub"))).unwrap());
        }
        let t = dir.join("trust.txt");
        std::fs::write(&t, trust).unwrap();
        t
    }

    fn spawn_node(
        dir: &std::path::Path,
        party: &str,
        run: &str,
        listen: u16,
        peers: &[u16],
    ) -> std::process::Child {
        let trust = dir.join("trust.txt");
        let key = dir.join(format!("{party}.key"));
        let mut c = Command::new(env!("CARGO_BIN_EXE_shieldnet"));
        c.args(["node", "--party", party, "--scenario", "epaa-2015", "--run-id", run]);
        c.arg("--key").arg(key).arg("--trust").arg(trust);
        c.args(["--listen", &format!("127.0.0.1:{listen}"), "--idle-timeout-s", "30"]);
        for p in peers {
            c.args(["--peer", &format!("127.0.0.1:{p}")]);
        }
        c.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap()
    }

    /// A world (JSON report, nodes marked down after 1 s of silence) and NATO and RUS nodes on
    /// loopback, with a spy peer listening to `spied`'s answers to the world.
    struct TwoParties {
        dir: std::path::PathBuf,
        run: String,
        world: std::process::Child,
        nato: std::process::Child,
        rus: std::process::Child,
        spy: ZenohTransport,
        /// World, NATO and RUS ports.
        ports: (u16, u16, u16),
    }

    impl TwoParties {
        fn start(tag: &str, spied: &str) -> Self {
            let dir = temp_dir(tag);
            keys(&dir, &["NATO", "RUS"]);
            let run = format!("{tag}{}", std::process::id());
            let (pw, pn, pr) = (port(), port(), port());
            let world = Command::new(env!("CARGO_BIN_EXE_shieldnet"))
                .args(["world", "epaa-2015", "--json", "--run-id", &run, "--answer-timeout-s", "1"])
                .args(["--listen", &format!("127.0.0.1:{pw}")])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            // The spy joins before the nodes, so it sees the run from its first step (the world waits
            // for every node's hello before stepping).
            let spy = ZenohTransport::open(
                &Endpoints { listen: vec![], connect: vec![format!("127.0.0.1:{pw}")] },
                &[topics::to_world(&run, spied)],
            )
            .unwrap();
            std::thread::sleep(Duration::from_millis(300));
            let nato = spawn_node(&dir, "NATO", &run, pn, &[pw, pr]);
            let rus = spawn_node(&dir, "RUS", &run, pr, &[pw, pn]);
            Self { dir, run, world, nato, rus, spy, ports: (pw, pn, pr) }
        }
    }

    #[test]
    fn killing_a_node_mid_run_leaves_the_others_running_and_the_report_marks_the_gap() {
        let _serial = serial();
        let TwoParties { dir, world, mut nato, mut rus, spy, .. } = TwoParties::start("kill", "RUS");
        // Kill RUS once the run is 100 steps in.
        wait_for_step(&spy, 100);
        rus.kill().unwrap();
        let _ = rus.wait();
        let out = world.wait_with_output().unwrap();
        let _ = nato.wait();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let events = v["events"].as_array().unwrap();
        let down: Vec<_> = events.iter().filter(|e| e["kind"] == "node_down").collect();
        assert_eq!(down.len(), 1, "{down:?}");
        assert_eq!(down[0]["party"], "RUS");
        // NATO ran to the end: it still fired at threats after RUS went away.
        let t_down = down[0]["t_s"].as_f64().unwrap();
        let nato_launch_after = events.iter().any(|e| {
            e["kind"] == "interceptor_launched" && e["party"] == "NATO" && e["t_s"].as_f64().unwrap() > t_down
        });
        assert!(nato_launch_after, "NATO stopped after RUS went down");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The world's step answers from `party` seen by a spy peer: waits until step `n` is answered.
    fn wait_for_step(spy: &ZenohTransport, n: u64) {
        let t0 = Instant::now();
        loop {
            assert!(t0.elapsed() < Duration::from_secs(60), "the run never reached step {n}");
            if let Ok(Some(r)) = spy.recv_timeout(Duration::from_millis(200))
                && matches!(frames::decode(&r.payload), Ok(Body::StepDone { step, .. }) if step >= n)
            {
                return;
            }
        }
    }

    #[test]
    fn a_node_that_restarts_mid_run_is_fed_again_and_works_on() {
        let _serial = serial();
        let TwoParties { dir, run, world, mut nato, mut rus, spy, ports: (pw, pn, pr) } =
            TwoParties::start("restart", "NATO");
        wait_for_step(&spy, 30);
        rus.kill().unwrap();
        let _ = rus.wait();
        // Restarted at once: the world sees either a new instance while it still waits for the old
        // one (`node_restarted`) or, if the new one is slower than the 1 s answer timeout, the old one
        // down and the new one up.
        let mut rus = spawn_node(&dir, "RUS", &run, pr, &[pw, pn]);
        let out = world.wait_with_output().unwrap();
        let _ = nato.wait();
        let _ = rus.wait();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let events = v["events"].as_array().unwrap();
        let at = |kind: &str| -> Vec<f64> {
            events
                .iter()
                .filter(|e| e["kind"] == kind && e["party"] == "RUS")
                .map(|e| e["t_s"].as_f64().unwrap())
                .collect()
        };
        let (down, up, restarted) = (at("node_down"), at("node_up"), at("node_restarted"));
        let back = match (down.len(), up.len(), restarted.len()) {
            (0, 0, 1) => restarted[0],
            (1, 1, 0) if up[0] > down[0] => up[0],
            _ => panic!("expected one restart or one down/up pair: {down:?} {up:?} {restarted:?}"),
        };
        // Fed again after its return: the restarted RUS confirms tracks of its own radars' detections.
        let confirmed_after = at("track_confirmed").into_iter().filter(|&t| t > back).count();
        assert!(confirmed_after > 0, "RUS formed no track after it came back at {back} s");
        // And NATO, which kept running, engaged threats throughout.
        assert!(events.iter().any(|e| e["kind"] == "interceptor_launched" && e["party"] == "NATO"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_real_time_run_follows_the_wall_clock_and_reports_every_threat() {
        let _serial = serial();
        // The default scenario lasts 1,500 simulated seconds: at 150× it takes about 10 s of wall time.
        let t0 = Instant::now();
        let out =
            shieldnet(&["run", "--distributed", "--realtime", "--rate", "150", "--json", "--seed", "2011"]);
        let wall = t0.elapsed().as_secs_f64();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let duration = v["duration_s"].as_f64().unwrap();
        assert!(
            wall >= duration / 150.0 * 0.95,
            "real time paced too fast: {wall} s for {duration} s at 150×"
        );
        let threats = v["threats"].as_array().unwrap();
        assert_eq!(threats.len(), 10);
        // Nodes answered in real time: both parties detected threats and NATO engaged some.
        let events = v["events"].as_array().unwrap();
        for party in ["NATO", "RUS"] {
            assert!(
                events.iter().any(|e| e["kind"] == "first_detection" && e["party"] == party),
                "{party} detected nothing"
            );
        }
        assert!(events.iter().any(|e| e["kind"] == "interceptor_launched"));
    }

    fn rss_kib(pid: u32) -> u64 {
        let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        s.lines()
            .find(|l| l.starts_with("VmRSS:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    }

    #[test]
    fn a_junk_flood_is_shed_with_bounded_memory_and_the_node_keeps_answering() {
        let _serial = serial();
        let dir = temp_dir("flood");
        keys(&dir, &["NATO", "RUS"]);
        let run = format!("flood{}", std::process::id());
        let (pn, pw) = (port(), port());
        let node = spawn_node(&dir, "NATO", &run, pn, &[]);
        let world = ZenohTransport::open(
            &Endpoints { listen: vec![format!("127.0.0.1:{pw}")], connect: vec![format!("127.0.0.1:{pn}")] },
            &[topics::world_subscription(&run)],
        )
        .unwrap();
        // Wait for the node's hello.
        let start = Instant::now();
        loop {
            assert!(start.elapsed() < Duration::from_secs(30), "no hello");
            if let Some(r) = world.recv_timeout(Duration::from_millis(200)).unwrap()
                && matches!(frames::decode(&r.payload), Ok(Body::Hello { .. }))
            {
                break;
            }
        }
        let key = topics::to_node(&run, "NATO");
        let step = |n: u64| {
            frames::encode(&Body::Step(StepFrame {
                step: n,
                now_s: n as f64,
                scans: vec![],
                angles: vec![],
                inbox: vec![],
                outcomes: vec![],
            }))
        };
        world.publish(&key, &step(1)).unwrap();
        let answered = |world: &ZenohTransport, n: u64| {
            let t0 = Instant::now();
            while t0.elapsed() < Duration::from_secs(60) {
                if let Ok(Some(r)) = world.recv_timeout(Duration::from_millis(200))
                    && matches!(frames::decode(&r.payload), Ok(Body::StepDone { step, .. }) if step == n)
                {
                    return true;
                }
            }
            false
        };
        assert!(answered(&world, 1));
        let pid = node.id();
        let mut junk = vec![0u8; 16 * 1024];
        let flood_start = Instant::now();
        let mut rss_at_2s = 0;
        let mut peak = 0;
        let mut sent = 0u64;
        while flood_start.elapsed() < Duration::from_secs(10) {
            for (i, b) in junk.iter_mut().enumerate() {
                *b = (i as u64 ^ sent).wrapping_mul(0x9E37_79B9) as u8;
            }
            world.publish(&key, &junk).unwrap();
            sent += 1;
            if sent.is_multiple_of(200) {
                let r = rss_kib(pid);
                peak = peak.max(r);
                if rss_at_2s == 0 && flood_start.elapsed() > Duration::from_secs(2) {
                    rss_at_2s = r;
                }
            }
        }
        assert!(sent > 1000, "flood too small: {sent} frames");
        // After the flood the node still answers a step.
        world.publish(&key, &step(2)).unwrap();
        assert!(answered(&world, 2), "node stopped answering after the flood");
        world.publish(&key, &frames::encode(&Body::Finish { t_s: 3.0 })).unwrap();
        let out = node.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        assert!(err.contains("unusable frames dropped"), "{err}");
        // Bounded: memory did not keep growing with the flood (allow 64 MiB of queue and allocator slack).
        assert!(rss_at_2s > 0 && peak < rss_at_2s + 64 * 1024, "RSS grew from {rss_at_2s} KiB to {peak} KiB");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
