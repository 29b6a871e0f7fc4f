//! `shieldnet keygen`, `shieldnet node`, `shieldnet world` and `run --distributed`: parties as separate
//! processes over zenoh (peer mode, explicit endpoints, no router). `keygen` always works; the others
//! need the `distributed` cargo feature and exit 2 with instructions without it.

use super::run::RunArgs;
use clap::Args;
use shieldnet_audit::{PartyKeys, TrustStore};
use shieldnet_sim::scenario::Scenario;
use std::path::PathBuf;

/// Arguments of `shieldnet keygen`.
#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Party id the key belongs to.
    #[arg(long)]
    pub party: String,
    /// Directory to write `<party>.key` (secret, keep private) and `<party>.pub` (a trust-file line).
    #[arg(long, default_value = ".")]
    pub out: PathBuf,
}

/// Arguments of `shieldnet node`.
#[derive(Debug, Args)]
pub struct NodeArgs {
    /// Party this process runs.
    #[arg(long)]
    pub party: String,
    /// Scenario (built-in name or file) every process of the run uses.
    #[arg(long)]
    pub scenario: String,
    /// This party's secret key file (from `shieldnet keygen`).
    #[arg(long)]
    pub key: PathBuf,
    /// Trust file: one `<party> <public key hex>` line per trusted party (the `.pub` files of
    /// `keygen`, concatenated). Messages from anyone else are rejected.
    #[arg(long)]
    pub trust: PathBuf,
    /// Endpoint to listen on, e.g. 127.0.0.1:7448 or tcp/127.0.0.1:7448.
    #[arg(long)]
    pub listen: Option<String>,
    /// Peers to connect to (the world and, in real-time mode, the partner nodes). Repeatable.
    #[arg(long)]
    pub peer: Vec<String>,
    /// Run name shared by the world and every node of one run.
    #[arg(long, default_value = "shieldnet")]
    pub run_id: String,
    /// The run's seed (default: the scenario's): selects the precision-degradation noise of shared
    /// tracks and the fault-injection stream.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Real-time mode: send partner messages directly to partners.
    #[arg(long)]
    pub realtime: bool,
    /// Probability an outgoing partner message is dropped.
    #[arg(long, default_value_t = 0.0)]
    pub loss: f64,
    /// Probability an outgoing partner message is sent twice.
    #[arg(long, default_value_t = 0.0)]
    pub duplicate: f64,
    /// Probability an outgoing partner message swaps places with the one before it.
    #[arg(long, default_value_t = 0.0)]
    pub reorder: f64,
    /// Give up when the world has been silent this long, s.
    #[arg(long, default_value_t = 60.0)]
    pub idle_timeout_s: f64,
}

/// Arguments of `shieldnet world`.
#[derive(Debug, Args)]
pub struct WorldArgs {
    /// Scenario (built-in name or file); default epaa-2015.
    pub scenario: Option<String>,
    /// Seed overriding the scenario's.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Endpoint to listen on, e.g. 127.0.0.1:7447.
    #[arg(long)]
    pub listen: Option<String>,
    /// Peers to connect to. Repeatable.
    #[arg(long)]
    pub peer: Vec<String>,
    /// Run name shared by the world and every node of one run.
    #[arg(long, default_value = "shieldnet")]
    pub run_id: String,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Write the run directory (CSV, report, audit logs) here.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Real-time mode (never wait for nodes).
    #[arg(long)]
    pub realtime: bool,
    /// Simulated seconds per wall-clock second in real-time mode.
    #[arg(long, default_value_t = 1.0)]
    pub rate: f64,
    /// Seconds to wait for a node's answer before marking it down.
    #[arg(long, default_value_t = 5.0)]
    pub answer_timeout_s: f64,
    /// Seconds to wait for every node's hello at the start.
    #[arg(long, default_value_t = 60.0)]
    pub startup_timeout_s: f64,
}

/// `shieldnet keygen`.
pub fn keygen(args: KeygenArgs) -> i32 {
    let mut seed = [0u8; 32];
    if let Err(e) = getrandom::fill(&mut seed) {
        eprintln!("error: no operating-system randomness for the key: {e}");
        return 1;
    }
    let keys = match PartyKeys::from_seed(&args.party, seed) {
        Ok(k) => k,
        Err(e) => {
            eprintln!("error: --party {:?}: {e}", args.party);
            return 2;
        }
    };
    match write_keys(&args.out, &keys) {
        Ok((secret, public)) => {
            println!("wrote {} (secret: keep it private) and {}", secret.display(), public.display());
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}

/// Writes `<party>.key` and `<party>.pub` into `dir`.
fn write_keys(dir: &std::path::Path, keys: &PartyKeys) -> Result<(PathBuf, PathBuf), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let secret = dir.join(format!("{}.key", keys.party()));
    let public = dir.join(format!("{}.pub", keys.party()));
    write_private(&secret, keys.to_secret_file().as_bytes())?;
    let line = TrustStore::from_keys([keys]).to_text();
    std::fs::write(&public, line).map_err(|e| format!("cannot write {}: {e}", public.display()))?;
    Ok((secret, public))
}

fn write_private(path: &std::path::Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    f.write_all(bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(not(feature = "distributed"))]
fn not_built(what: &str) -> i32 {
    eprintln!(
        "error: {what} needs the `distributed` feature (the zenoh transport), which this binary was built \
         without.\nRebuild with: cargo build --release --features distributed   (about 5 minutes more on 2 cores)"
    );
    2
}

/// `shieldnet node`.
#[cfg(not(feature = "distributed"))]
pub fn node(_: NodeArgs) -> i32 {
    not_built("shieldnet node")
}

/// `shieldnet world`.
#[cfg(not(feature = "distributed"))]
pub fn world(_: WorldArgs) -> i32 {
    not_built("shieldnet world")
}

/// `shieldnet run --distributed`.
#[cfg(not(feature = "distributed"))]
pub fn run_distributed(_: &RunArgs, _: &Scenario) -> i32 {
    not_built("shieldnet run --distributed")
}

#[cfg(feature = "distributed")]
pub use with_zenoh::{node, run_distributed, world};

#[cfg(feature = "distributed")]
mod with_zenoh {
    use super::super::run::{emit, run_options};
    use super::super::scenario_source;
    use super::*;
    use shieldnet_net::zenoh_transport::{Endpoints, ZenohTransport};
    use shieldnet_net::{Faults, NodeOptions, Pace, RemoteNodes, Timing, serve_node, topics};
    use shieldnet_node::{AuditSetup, PartyNode};
    use shieldnet_sim::build::build;
    use shieldnet_sim::run_with_host;
    use std::process::{Command, Stdio};
    use std::time::Duration;

    fn secs(s: f64, flag: &str) -> Result<Duration, String> {
        Duration::try_from_secs_f64(s).map_err(|_| format!("{flag} must be a non-negative number of seconds"))
    }

    /// `shieldnet node`.
    pub fn node(args: NodeArgs) -> i32 {
        match node_inner(&args) {
            Ok(0) => 0,
            Ok(code) => code,
            Err((code, msg)) => {
                eprintln!("error: {msg}");
                code
            }
        }
    }

    fn node_inner(args: &NodeArgs) -> Result<i32, (i32, String)> {
        let bad = |m: String| (2, m);
        let scn = scenario_source::load(Some(&args.scenario))
            .map_err(|e| (scenario_source::report(e), String::new()))?;
        let mut setup =
            build(&scn).map_err(|e| bad(format!("cannot build scenario {}: {e}", args.scenario)))?;
        let seed = args.seed.unwrap_or(scn.scenario.seed);
        shieldnet_sim::seed_share_noise(&mut setup, seed, 0);
        let Some(mut cfg) = setup.nodes.iter().find(|c| c.party_id == args.party).cloned() else {
            return Err(bad(format!(
                "--party {}: not a party of the scenario (valid: {})",
                args.party,
                setup.parties.join(", ")
            )));
        };
        if !topics::usable_in_key(&args.party) || !topics::usable_in_key(&args.run_id) {
            return Err(bad("party ids and --run-id may only use letters, digits, '-', '_' and '.'".into()));
        }
        let key_text = std::fs::read_to_string(&args.key)
            .map_err(|e| bad(format!("--key {}: {e}", args.key.display())))?;
        let keys = PartyKeys::from_secret_file(&key_text)
            .map_err(|e| bad(format!("--key {}: {e}", args.key.display())))?;
        if keys.party() != args.party {
            return Err(bad(format!(
                "--key {} belongs to party {}, not {}",
                args.key.display(),
                keys.party(),
                args.party
            )));
        }
        let trust_text = std::fs::read_to_string(&args.trust)
            .map_err(|e| bad(format!("--trust {}: {e}", args.trust.display())))?;
        let trust = TrustStore::parse(&trust_text)
            .map_err(|e| bad(format!("--trust {}: {e}", args.trust.display())))?;
        cfg.audit = Some(AuditSetup { keys, trust, max_message_age_s: 60.0 });
        let party_salt = args.party.bytes().fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(b as u64));
        let faults = Faults::new(args.loss, args.duplicate, args.reorder, seed ^ party_salt).map_err(bad)?;
        let idle_timeout = secs(args.idle_timeout_s, "--idle-timeout-s").map_err(bad)?;
        let mut subs = vec![topics::to_node(&args.run_id, &args.party)];
        if args.realtime {
            subs.push(topics::wire_subscription(&args.run_id, &args.party));
        }
        let ep = Endpoints { listen: args.listen.iter().cloned().collect(), connect: args.peer.clone() };
        let t = ZenohTransport::open(&ep, &subs).map_err(|e| (1, e.to_string()))?;
        let opts = NodeOptions {
            run: args.run_id.clone(),
            realtime: args.realtime,
            idle_timeout,
            faults,
            instance: instance_id(),
        };
        let summary = serve_node(&t, PartyNode::new(cfg), &opts)
            .map_err(|e| (1, format!("node {}: {e}", args.party)))?;
        eprintln!(
            "node {}: {} steps, {} unusable frames dropped, {} partner messages shed{}",
            args.party,
            summary.steps,
            summary.rejected_frames,
            summary.shed_messages,
            if summary.finished { "" } else { "; the run did not finish" }
        );
        Ok(if summary.finished { 0 } else { 1 })
    }

    fn instance_id() -> u64 {
        let mut b = [0u8; 8];
        if getrandom::fill(&mut b).is_err() {
            let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
            return t.as_nanos() as u64 ^ std::process::id() as u64;
        }
        u64::from_le_bytes(b)
    }

    /// `shieldnet world`.
    pub fn world(args: WorldArgs) -> i32 {
        let scn = match scenario_source::load(args.scenario.as_deref()) {
            Ok(s) => s,
            Err(e) => return scenario_source::report(e),
        };
        match world_inner(&args, &scn) {
            Ok(code) => code,
            Err((code, msg)) => {
                eprintln!("error: {msg}");
                code
            }
        }
    }

    fn world_inner(args: &WorldArgs, scn: &Scenario) -> Result<i32, (i32, String)> {
        let bad = |m: String| (2, m);
        if !topics::usable_in_key(&args.run_id) {
            return Err(bad("--run-id may only use letters, digits, '-', '_' and '.'".into()));
        }
        if !(args.rate > 0.0 && args.rate.is_finite()) {
            return Err(bad(format!("--rate must be a positive number, got {}", args.rate)));
        }
        let setup =
            build(scn).map_err(|e| bad(format!("cannot build scenario {}: {e}", scn.scenario.name)))?;
        let timing = Timing {
            startup: secs(args.startup_timeout_s, "--startup-timeout-s").map_err(bad)?,
            answer: secs(args.answer_timeout_s, "--answer-timeout-s").map_err(bad)?,
            retry: Duration::from_millis(250),
        };
        let pace = if args.realtime { Pace::RealTime { rate: args.rate } } else { Pace::Lockstep };
        let ep = Endpoints { listen: args.listen.iter().cloned().collect(), connect: args.peer.clone() };
        let t = ZenohTransport::open(&ep, &[topics::world_subscription(&args.run_id)])
            .map_err(|e| (1, e.to_string()))?;
        let mut host = RemoteNodes::connect(t, &args.run_id, &setup.parties, pace, timing)
            .map_err(|e| (1, e.to_string()))?;
        let opts = run_options(args.seed, args.out.is_some());
        let (report, record) = run_with_host(scn, &opts, &mut host)
            .map_err(|e| bad(format!("cannot run scenario {}: {e}", scn.scenario.name)))?;
        if host.rejected_frames > 0 {
            eprintln!("world: {} unusable frames dropped", host.rejected_frames);
        }
        Ok(emit(scn, &report, record.as_ref(), args.out.as_deref(), args.json))
    }

    /// A free TCP port on loopback (the OS picks it; another process could take it before we use it,
    /// which is unlikely on a test machine).
    fn free_port() -> Result<u16, String> {
        std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .map_err(|e| format!("cannot find a free port on loopback: {e}"))
    }

    /// `shieldnet run --distributed`: the world and one node per party as child processes.
    pub fn run_distributed(args: &RunArgs, scn: &Scenario) -> i32 {
        match run_distributed_inner(args, scn) {
            Ok(code) => code,
            Err(msg) => {
                eprintln!("error: {msg}");
                1
            }
        }
    }

    fn run_distributed_inner(args: &RunArgs, scn: &Scenario) -> Result<i32, String> {
        let setup = build(scn).map_err(|e| format!("cannot build scenario {}: {e}", scn.scenario.name))?;
        let seed = args.seed.unwrap_or(scn.scenario.seed);
        let scenario_arg =
            args.scenario.clone().unwrap_or_else(|| scenario_source::DEFAULT_SCENARIO.to_string());
        let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
        let nonce = format!("{}-{}", std::process::id(), instance_id() % 1_000_000);
        let dir = std::env::temp_dir().join(format!("shieldnet-run-{nonce}"));
        // The same simulation keys as the in-process run, so that signatures and audit logs match too.
        let mut trust = TrustStore::new();
        for party in &setup.parties {
            let k =
                PartyKeys::derive_for_simulation(seed, party).map_err(|e| format!("party {party}: {e}"))?;
            write_keys(&dir, &k)?;
            trust.insert(party, k.verifying_key()).map_err(|e| e.to_string())?;
        }
        let trust_path = dir.join("trust.txt");
        std::fs::write(&trust_path, trust.to_text())
            .map_err(|e| format!("cannot write {}: {e}", trust_path.display()))?;
        let ports: Vec<u16> = (0..=setup.parties.len()).map(|_| free_port()).collect::<Result<_, _>>()?;
        let addr = |p: u16| format!("127.0.0.1:{p}");
        let run_id = format!("run-{nonce}");
        let mut world = Command::new(&exe);
        world.args(["world", &scenario_arg, "--seed", &seed.to_string(), "--listen", &addr(ports[0])]);
        world.args(["--run-id", &run_id]);
        if args.json {
            world.arg("--json");
        }
        if args.realtime {
            world.arg("--realtime").arg("--rate").arg(args.rate.to_string());
        }
        if let Some(out) = &args.out {
            world.arg("--out").arg(out);
        }
        let mut world =
            world.stdout(Stdio::inherit()).stderr(Stdio::inherit()).spawn().map_err(|e| e.to_string())?;
        let mut nodes = Vec::new();
        for (i, party) in setup.parties.iter().enumerate() {
            let mut c = Command::new(&exe);
            c.args(["node", "--party", party, "--scenario", &scenario_arg, "--run-id", &run_id]);
            c.arg("--key").arg(dir.join(format!("{party}.key")));
            c.arg("--trust").arg(&trust_path);
            c.args(["--listen", &addr(ports[i + 1]), "--seed", &seed.to_string()]);
            c.args(["--peer", &addr(ports[0])]);
            for (j, p) in ports.iter().enumerate().skip(1) {
                if j != i + 1 {
                    c.args(["--peer", &addr(*p)]);
                }
            }
            if args.realtime {
                c.arg("--realtime");
            }
            nodes.push(c.stdout(Stdio::null()).stderr(Stdio::inherit()).spawn().map_err(|e| e.to_string())?);
        }
        let status = world.wait().map_err(|e| e.to_string())?;
        for mut n in nodes {
            // Nodes end on their own after the world's end-of-run frame; don't wait on a stuck one.
            let deadline = std::time::Instant::now() + Duration::from_secs(3);
            loop {
                match n.try_wait() {
                    Ok(Some(_)) => break,
                    _ if std::time::Instant::now() >= deadline => {
                        let _ = n.kill();
                        let _ = n.wait();
                        break;
                    }
                    _ => std::thread::sleep(Duration::from_millis(20)),
                }
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
        Ok(status.code().unwrap_or(1))
    }
}
