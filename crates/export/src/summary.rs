//! The human summary of a run: who saw what, when, what partner data changed, and how each threat
//! ended.

use shieldnet_sim::RunReport;
use shieldnet_sim::report::Outcome;
use std::fmt::Write;

fn secs(v: Option<f64>) -> String {
    v.map(|t| format!("{t:.0}")).unwrap_or_else(|| "-".into())
}

/// Renders the summary as plain text tables.
pub fn render_summary(r: &RunReport) -> String {
    let mut s = String::new();
    let parties: Vec<&str> = r.parties.iter().map(|p| p.id.as_str()).collect();
    let _ = writeln!(
        s,
        "scenario {}  seed {}  mode {}  duration {:.0} s",
        r.scenario, r.seed, r.mode, r.duration_s
    );
    let _ = writeln!(s);
    let _ = writeln!(s, "Threats (times in s after the epoch; detection = first own radar detection)");
    let w = r.threats.iter().map(|t| t.id.len()).max().unwrap_or(6).max(6);
    let mut header = format!(
        "{:<w$} {:>7} {:>7}  {:<12} {:<8} {:>7}",
        "threat", "launch", "impact", "outcome", "by", "at"
    );
    for p in &parties {
        let _ = write!(header, " {:>9}", format!("det {p}"));
    }
    for p in &parties {
        let _ = write!(header, " {:>10}", format!("pic {p}"));
    }
    let _ = writeln!(s, "{header}");
    for t in &r.threats {
        let outcome = match t.outcome {
            Outcome::Intercepted => "intercepted",
            Outcome::Leaked => "LEAKED",
            Outcome::InFlight => "in flight",
        };
        let mut line = format!(
            "{:<w$} {:>7.0} {:>7.0}  {:<12} {:<8} {:>7}",
            t.id,
            t.launch_time_s,
            t.impact_time_s,
            outcome,
            t.intercepted_by.as_deref().unwrap_or("-"),
            secs(t.intercept_time_s)
        );
        for p in &parties {
            let _ = write!(line, " {:>9}", secs(t.first_detection_s.get(*p).copied().flatten()));
        }
        for p in &parties {
            let _ = write!(line, " {:>10}", secs(t.first_picture_s.get(*p).copied().flatten()));
        }
        if let Some(a) = &t.asset_hit {
            let _ = write!(line, "  hit {a}");
        }
        let _ = writeln!(s, "{line}");
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "Parties");
    let _ = writeln!(
        s,
        "{:<8} {:>8} {:>8} {:>8} {:>8}  warning time gained from partner data",
        "party", "fired", "tracks", "sent", "recv"
    );
    for p in &r.parties {
        let gains: Vec<f64> = p.warning_gained_s.values().flatten().copied().filter(|g| *g > 0.0).collect();
        let partner_only = r
            .threats
            .iter()
            .filter(|t| {
                t.first_own_track_s.get(&p.id).copied().flatten().is_none()
                    && t.first_picture_s.get(&p.id).copied().flatten().is_some()
            })
            .count();
        let gain_text = if gains.is_empty() {
            "none".to_string()
        } else {
            format!(
                "{} threats earlier, by {:.0}–{:.0} s (mean {:.0} s)",
                gains.len(),
                gains.iter().cloned().fold(f64::INFINITY, f64::min),
                gains.iter().cloned().fold(0.0, f64::max),
                gains.iter().sum::<f64>() / gains.len() as f64
            )
        };
        let extra = if partner_only > 0 {
            format!("; {partner_only} seen only through partner data")
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            "{:<8} {:>8} {:>8} {:>8} {:>8}  {gain_text}{extra}",
            p.id, p.interceptors_fired, p.tracks_confirmed, p.messages_sent, p.messages_received
        );
    }
    let leaked = r.threats.iter().filter(|t| t.outcome == Outcome::Leaked).count();
    let intercepted = r.threats.iter().filter(|t| t.outcome == Outcome::Intercepted).count();
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{intercepted} of {} threats intercepted, {leaked} leaked; double engagements: {}",
        r.threats.len(),
        r.double_engagements
    );
    s
}
