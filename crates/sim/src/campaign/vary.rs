//! Parameter sweeps: `--vary PARAM=V1,V2,…` over values of a scenario.
//!
//! | parameter | values | applies to |
//! |---|---|---|
//! | `battery.ID.rounds` | integers ≥ 0 | the battery `ID` |
//! | `sharing.latency_s` | seconds ≥ 0 | every sharing agreement |
//! | `sharing.interval_s` | seconds > 0 | every sharing agreement |
//! | `sharing.loss` | probabilities | every sharing agreement |
//! | `cooperation.mode` | `M0`, `M1`, `M2`, `M3`, `M4`, `M5` (M4 needs `[[sector]]`s) | the scenario |
//! | `radar.ID.pd` | probabilities | the radar `ID` |
//! | `radar.ID.max_range_km` | km > 0 | the radar `ID` |
//! | `interceptor_types.NAME.pk` | probabilities | the interceptor type `NAME` |
//!
//! A varied scenario is written back to TOML and loaded again, so every validation rule of a scenario
//! file applies to each combination.

use crate::scenario::{Mode, Scenario};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// One `--vary` argument: a parameter and the values it takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variation {
    /// Parameter path, e.g. `battery.aa-deveselu.rounds`.
    pub param: String,
    /// Values as written.
    pub values: Vec<String>,
}

/// A `--vary` argument that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--vary {arg}: {message}")]
pub struct VaryError {
    /// The argument.
    pub arg: String,
    /// What is wrong and what would be valid.
    pub message: String,
}

impl fmt::Display for Variation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.param, self.values.join(","))
    }
}

impl FromStr for Variation {
    type Err = VaryError;
    fn from_str(s: &str) -> Result<Self, VaryError> {
        let err = |m: &str| VaryError { arg: s.to_owned(), message: m.to_owned() };
        let (param, list) =
            s.split_once('=').ok_or_else(|| err("expected PARAM=V1,V2,… (e.g. sharing.latency_s=0,3,10)"))?;
        let param = param.trim();
        let values: Vec<String> = list.split(',').map(|v| v.trim().to_owned()).collect();
        if param.is_empty() || values.iter().any(String::is_empty) {
            return Err(err("expected PARAM=V1,V2,… with no empty parameter or value"));
        }
        Ok(Variation { param: param.to_owned(), values })
    }
}

fn parse_num<T: FromStr>(v: &str, what: &str) -> Result<T, String> {
    v.parse().map_err(|_| format!("`{v}` is not {what}"))
}

fn parse_prob(v: &str) -> Result<f64, String> {
    let p: f64 = parse_num(v, "a number")?;
    if (0.0..=1.0).contains(&p) { Ok(p) } else { Err(format!("`{v}` is not a probability in [0, 1]")) }
}

fn parse_mode(v: &str) -> Result<Mode, String> {
    match v.to_ascii_uppercase().as_str() {
        "M0" => Ok(Mode::M0),
        "M1" => Ok(Mode::M1),
        "M2" => Ok(Mode::M2),
        "M3" => Ok(Mode::M3),
        "M4" => Ok(Mode::M4),
        "M5" => Ok(Mode::M5),
        _ => Err(format!("`{v}` is not a cooperation mode; use M0, M1, M2, M3, M4 or M5")),
    }
}

/// Sets `param` to `value` in `scn`. The message of an error says what would be valid.
pub fn apply(scn: &mut Scenario, param: &str, value: &str) -> Result<(), String> {
    let parts: Vec<&str> = param.split('.').collect();
    match parts.as_slice() {
        ["battery", id, "rounds"] => {
            let rounds: u32 = parse_num(value, "a whole number of rounds")?;
            let known: Vec<String> = scn.batteries.iter().map(|b| b.id.clone()).collect();
            let b = scn
                .batteries
                .iter_mut()
                .find(|b| b.id == *id)
                .ok_or_else(|| format!("no battery `{id}`; batteries: {}", known.join(", ")))?;
            b.rounds = rounds;
        }
        ["sharing", field @ ("latency_s" | "interval_s" | "loss")] => {
            let x: f64 =
                if *field == "loss" { parse_prob(value)? } else { parse_num(value, "a number of seconds")? };
            if scn.sharing.is_empty() {
                return Err("the scenario has no [[sharing]] agreement".into());
            }
            for s in &mut scn.sharing {
                match *field {
                    "latency_s" => s.latency_s = x,
                    "interval_s" => s.interval_s = x,
                    _ => s.loss = x,
                }
            }
        }
        ["cooperation", "mode"] => scn.cooperation.mode = parse_mode(value)?,
        ["radar", id, field @ ("pd" | "max_range_km")] => {
            let x = if *field == "pd" { parse_prob(value)? } else { parse_num(value, "a number of km")? };
            let known: Vec<String> = scn.radars.iter().map(|r| r.id.clone()).collect();
            let r = scn
                .radars
                .iter_mut()
                .find(|r| r.id == *id)
                .ok_or_else(|| format!("no radar `{id}`; radars: {}", known.join(", ")))?;
            if *field == "pd" { r.pd = x } else { r.max_range_km = x }
        }
        ["interceptor_types", name, "pk"] => {
            let x = parse_prob(value)?;
            let known: Vec<String> = scn.interceptor_types.keys().cloned().collect();
            let t = scn
                .interceptor_types
                .get_mut(*name)
                .ok_or_else(|| format!("no interceptor type `{name}`; types: {}", known.join(", ")))?;
            t.pk = x;
        }
        _ => {
            return Err(format!(
                "unknown parameter `{param}`; known: battery.ID.rounds, sharing.latency_s, sharing.interval_s, \
                 sharing.loss, cooperation.mode, radar.ID.pd, radar.ID.max_range_km, interceptor_types.NAME.pk"
            ));
        }
    }
    Ok(())
}

/// The combinations of a list of variations: the cartesian product, the first variation outermost.
/// Each item holds one `(param, value)` per variation. No variation gives one empty combination.
pub fn combinations(vars: &[Variation]) -> Vec<Vec<(String, String)>> {
    let mut out: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for v in vars {
        out = out
            .into_iter()
            .flat_map(|prefix| {
                v.values.iter().map(move |val| {
                    let mut c = prefix.clone();
                    c.push((v.param.clone(), val.clone()));
                    c
                })
            })
            .collect();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_builtin;

    #[test]
    fn parses_and_applies() {
        let mut s = load_builtin("epaa-2015").unwrap();
        let v: Variation = "battery.aa-deveselu.rounds=0,12".parse().unwrap();
        assert_eq!(v.values, ["0", "12"]);
        apply(&mut s, &v.param, "12").unwrap();
        assert_eq!(s.batteries[0].rounds, 12);
        apply(&mut s, "sharing.latency_s", "10").unwrap();
        assert!(s.sharing.iter().all(|a| a.latency_s == 10.0));
        apply(&mut s, "cooperation.mode", "M0").unwrap();
        assert_eq!(s.cooperation.mode, Mode::M0);
        apply(&mut s, "cooperation.mode", "M1").unwrap();
        assert_eq!(s.cooperation.mode, Mode::M1);
        let e = apply(&mut s, "cooperation.mode", "M9").unwrap_err();
        assert!(e.contains("not a cooperation mode"), "{e}");
        let e = apply(&mut s, "battery.nope.rounds", "3").unwrap_err();
        assert!(e.contains("aa-deveselu"), "{e}");
        assert!(apply(&mut s, "warp.speed", "9").unwrap_err().contains("unknown parameter"));
        assert!("nonsense".parse::<Variation>().is_err());
    }

    #[test]
    fn cartesian_product_first_outermost() {
        let a: Variation = "a=1,2".parse().unwrap();
        let b: Variation = "b=x,y,z".parse().unwrap();
        let c = combinations(&[a, b]);
        assert_eq!(c.len(), 6);
        assert_eq!(c[1], vec![("a".into(), "1".into()), ("b".into(), "y".into())]);
        assert_eq!(c[3][0].1, "2");
        assert_eq!(combinations(&[]), vec![Vec::new()]);
    }
}
