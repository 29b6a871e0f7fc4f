//! `shieldnet audit verify|show`: check and display the signed record a run wrote (`run --out DIR`).
//!
//! Exit codes of `verify`: 0 every log verified with no finding, 1 at least one finding, 2 the input
//! could not be read (missing directory, no logs, unreadable trust list).

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use shieldnet_audit::{DecodedEntry, TRUST_FILE_NAME, TrustStore, decode_log, read_dir_logs, verify_logs};
use shieldnet_node::policy::{POLICY_FILE_NAME, PolicySet};

/// Arguments of `shieldnet audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub command: AuditCommand,
}

/// `shieldnet audit` subcommands.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Verify signatures, hash chains, checkpoints and cross-party consistency of the logs in DIR.
    Verify {
        /// Directory holding `audit-PARTY.jsonl` logs (as written by `shieldnet run --out DIR`).
        dir: PathBuf,
        /// Trust list (`<party> <public key hex>` per line). Defaults to DIR/trust.txt, which the run
        /// wrote itself: a real verifier must use keys obtained independently of the logs.
        #[arg(long)]
        keys: Option<PathBuf>,
        /// Policy rules to check every decision against (`policy.json` format). Defaults to
        /// DIR/policy.json when the run wrote one (its scenario stated `[[policy]]` rules).
        #[arg(long)]
        policy: Option<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print the record as a human-readable timeline (all parties merged by time).
    Show {
        /// Directory holding `audit-PARTY.jsonl` logs.
        dir: PathBuf,
        /// Only this party's log.
        #[arg(long)]
        party: Option<String>,
    },
}

/// Runs an audit subcommand and returns the exit code.
pub fn run(args: AuditArgs) -> i32 {
    match args.command {
        AuditCommand::Verify { dir, keys, policy, json } => {
            verify(&dir, keys.as_deref(), policy.as_deref(), json)
        }
        AuditCommand::Show { dir, party } => show(&dir, party.as_deref()),
    }
}

fn load_trust(dir: &Path, keys: Option<&Path>) -> Result<TrustStore, String> {
    let path = match keys {
        Some(p) => p.to_path_buf(),
        None => {
            let p = dir.join(TRUST_FILE_NAME);
            eprintln!(
                "note: using {} written by the run itself; for a real audit pass --keys with independently obtained public keys",
                p.display()
            );
            p
        }
    };
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    TrustStore::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The policy rules: `--policy FILE`, else DIR/policy.json if present, else none.
fn load_policy(dir: &Path, policy: Option<&Path>) -> Result<PolicySet, String> {
    let path = match policy {
        Some(p) => p.to_path_buf(),
        None => {
            let p = dir.join(POLICY_FILE_NAME);
            if !p.exists() {
                return Ok(PolicySet::new(Vec::new()));
            }
            p
        }
    };
    let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    PolicySet::from_json(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn verify(dir: &Path, keys: Option<&Path>, policy: Option<&Path>, json: bool) -> i32 {
    let policy = match load_policy(dir, policy) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: cannot read the policy rules: {e}");
            return 2;
        }
    };
    let trust = match load_trust(dir, keys) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read the trust list: {e}");
            return 2;
        }
    };
    let logs = match read_dir_logs(dir) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let refs: Vec<(&str, &[u8])> = logs.iter().map(|(p, b)| (p.as_str(), b.as_slice())).collect();
    let report = verify_logs(&refs, &trust, &policy.checks());
    if json {
        let v = serde_json::json!({ "ok": report.is_ok(), "report": report });
        match serde_json::to_string_pretty(&v) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        }
    } else {
        for p in &report.parties {
            let mut state = vec![format!("{} entries", p.entries), format!("{} checkpoints", p.checkpoints)];
            state.push(if p.closed { "closed".into() } else { "NOT closed".into() });
            state.push(format!("{} sealed by a signed checkpoint", p.sealed_entries));
            if let Some(b) = p.truncated_bytes {
                state.push(format!("TRUNCATED ({b} bytes of an incomplete line)"));
            }
            state.push(format!("{} sent, {} received, {} decisions", p.sent, p.received, p.decisions));
            println!("{}: {}", p.party, state.join(", "));
        }
        if !policy.rules.is_empty() {
            let names: Vec<String> =
                policy.rules.iter().map(|r| format!("{} ({})", r.name(), r.party())).collect();
            println!("policy: {} rule(s) checked over every decision: {}", names.len(), names.join(", "));
        }
        if report.is_ok() {
            println!("OK: {} logs, {} entries, no findings", report.parties.len(), report.total_entries());
        } else {
            println!("FAILED: {} finding(s)", report.findings.len());
            for f in &report.findings {
                println!("  {f}");
            }
        }
    }
    if report.is_ok() { 0 } else { 1 }
}

fn show(dir: &Path, party: Option<&str>) -> i32 {
    let logs = match read_dir_logs(dir) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    if let Some(p) = party
        && !logs.iter().any(|(q, _)| q == p)
    {
        eprintln!("error: no log for party {p} in {}", dir.display());
        return 2;
    }
    let mut entries: Vec<DecodedEntry> = Vec::new();
    for (p, bytes) in &logs {
        if party.is_some_and(|want| want != p) {
            continue;
        }
        let d = decode_log(bytes);
        for (line, err) in &d.errors {
            eprintln!("warning: {p} line {line}: {err}");
        }
        if let Some(b) = d.truncated_bytes {
            eprintln!("warning: {p}: log ends in an incomplete line of {b} bytes (truncated)");
        }
        entries.extend(d.entries);
    }
    entries
        .sort_by(|a, b| a.t_s.total_cmp(&b.t_s).then_with(|| a.party.cmp(&b.party)).then(a.seq.cmp(&b.seq)));
    println!("{:>12}  {:<8} {:>6}  {:<18}  what", "t [s]", "party", "entry", "kind");
    for e in &entries {
        println!("{:>12.3}  {:<8} {:>6}  {:<18}  {}", e.t_s, e.party, e.seq, e.kind_str, e.describe());
    }
    println!("(not verified: run `shieldnet audit verify` to check signatures and consistency)");
    0
}
