//! Scenario files: the schema, loading with precise errors, and the built-in scenarios.
//!
//! Loading parses the TOML, deserialises it into [`Scenario`] and checks every rule below. Every
//! problem is reported as a [`ScenarioError`] with the source name, 1-based line and column, the field
//! path (`radar[2].lat_deg`, indices 0-based in file order) and a hint saying what would be valid.
//!
//! ## Validation rules
//!
//! Bounds (all intervals include their ends unless written with a parenthesis):
//!
//! | field | rule |
//! |---|---|
//! | every `*lat_deg` | [-90, 90] |
//! | every `*lon_deg` | [-180, 180] |
//! | `alt_m` (radar, battery) | [-500, 10000] m: surface sites, from the Dead Sea shore to above the highest summit |
//! | `scenario.epoch` | a full date-time with an offset (`2015-06-01T12:00:00Z`) |
//! | `scenario.duration_s` | > 0 |
//! | `scenario.time_step_s` | > 0 and <= `duration_s` |
//! | `scenario.name`, every `id`, every type name | not empty |
//! | radar `boresight_az_deg` | [0, 360) |
//! | radar `half_width_az_deg` | (0, 180] |
//! | radar `min_el_deg`, `max_el_deg` | [-90, 90], `min_el_deg` < `max_el_deg` |
//! | radar `max_range_km`, `revisit_s`, `sigma_range_m`, `sigma_az_mrad`, `sigma_el_mrad` | > 0 |
//! | radar `pd` | [0, 1] |
//! | radar `false_alarms_per_scan` | >= 0 |
//! | interceptor `burnout_speed_km_s`, `burn_time_s`, `max_range_km`, `divert_km` | > 0 |
//! | interceptor `min_intercept_alt_km` | >= 0 and < `max_intercept_alt_km` |
//! | interceptor `pk` | [0, 1] |
//! | interceptor `reaction_time_s`, `kill_assessment_s` | >= 0 |
//! | battery `rounds` | any (0 is an empty battery) |
//! | missile `burnout_time_s`, `burnout_altitude_km`, `burnout_downrange_km`, `rcs_booster_m2`, `rcs_rv_m2` | > 0 |
//! | asset `radius_km` | > 0 |
//! | asset `value` | >= 0 |
//! | sharing `interval_s` | > 0 |
//! | sharing `latency_s` | >= 0 |
//! | sharing `loss` | [0, 1] |
//! | sharing `what` | not empty |
//! | sharing `from`, `to` | known parties, different |
//! | tracking `confirm_m`, `confirm_n` | >= 1, `confirm_m` <= `confirm_n` |
//! | tracking `delete_after_misses` | >= 1 |
//! | tracking `accel_noise_m2_s3` | >= 0 |
//! | raid `time_s` | [0, `duration_s`) |
//! | raid `count` | >= 1, and the last launch `time_s + (count - 1) * spacing_s` < `duration_s` |
//! | raid `spacing_s` | >= 0 |
//! | raid aim | exactly one of `aim_asset` or both `aim_lat_deg` and `aim_lon_deg` |
//! | raid ground range | >= 2 × the missile's `burnout_downrange_km` (and >= 1 km); launch and aim < 178.85° apart |
//! | sector `vertices` | at least 3 `[latitude, longitude]` pairs in range; `owner` a known party; ids unique |
//! | `cooperation.mode = "M4"` | at least one `[[sector]]` |
//! | doctrine `reserve_fraction` | [0, 1] |
//! | doctrine `salvo_size` | [1, 8] |
//! | doctrine `exact_max_targets` | [0, 200] |
//! | cross-references | `party`, `interceptor`, `missile`, `aim_asset` name existing entries |
//! | ids | unique within parties, radars, batteries, defended assets, raids |
//! | lists | at least one party and one raid |
//!
//! Every number must also be finite (TOML allows `nan` and `inf`).
//!
//! ## Example
//!
//! ```
//! use shieldnet_sim::scenario::{load_builtin, load_str};
//!
//! let epaa = load_builtin("epaa-2015").unwrap();
//! assert_eq!(epaa.scenario.name, "epaa-2015");
//!
//! let text = shieldnet_sim::scenario::builtin_source("two-radars-one-threat").unwrap()
//!     .replace("lat_deg = 38.349", "lat_deg = 95.0");
//! let err = load_str(&text, "mine.toml").unwrap_err();
//! assert_eq!(err.field(), "radar[0].lat_deg");
//! assert!(err.to_string().contains("expected a value in [-90, 90] degrees"));
//! ```

mod builtin;
mod error;
mod locate;
pub mod schema;
mod schema_sensors;
mod schema_tracking;
mod validate;

pub use builtin::{builtin_description, builtin_names, builtin_source};
pub use error::{ErrorKind, FieldPath, PathSegment, ScenarioError};
pub use schema::*;
pub use validate::{MAX_SITE_ALT_M, MIN_SITE_ALT_M};

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;
use toml::de::DeTable;

/// Parses and validates a scenario from TOML text; `source_name` (a file path or `builtin:NAME`) names
/// the text in errors. On failure the error holds every problem found (see [`ScenarioError::all`]):
/// all syntax errors, or the first schema error (unknown field, wrong type, missing field), or every
/// broken validation rule.
pub fn load_str(text: &str, source_name: &str) -> Result<Scenario, ScenarioError> {
    let shared: Arc<str> = Arc::from(text);
    let (doc, syntax_errors) = DeTable::parse_recoverable(text);
    if let Some(e) =
        ScenarioError::collect(syntax_errors.iter().map(|e| syntax_error(e, source_name, &shared)).collect())
    {
        return Err(e);
    }
    let scenario: Scenario =
        toml::from_str(text).map_err(|e| schema_error(&e, source_name, &shared, doc.get_ref()))?;
    let problems = validate::validate(&scenario);
    let errors = problems
        .into_iter()
        .map(|p| {
            let span = locate::span_of(doc.get_ref(), &p.path);
            ScenarioError::at(ErrorKind::Invalid, source_name, &shared, span, p.path, p.message, p.hint)
        })
        .collect();
    match ScenarioError::collect(errors) {
        Some(e) => Err(e),
        None => Ok(scenario),
    }
}

/// Reads, parses and validates a scenario file. A file that is missing, unreadable or not UTF-8 is an
/// error naming the path.
pub fn load_file(path: &Path) -> Result<Scenario, ScenarioError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        let hint = match e.kind() {
            std::io::ErrorKind::NotFound => {
                "check the path; `shieldnet scenarios` lists the built-in scenarios".to_owned()
            }
            std::io::ErrorKind::PermissionDenied => "check the file's permissions".to_owned(),
            _ => "expected a readable TOML file".to_owned(),
        };
        ScenarioError::unlocated(ErrorKind::Io, &name, format!("cannot read the scenario file: {e}"), hint)
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy: Arc<str> = Arc::from(String::from_utf8_lossy(e.as_bytes()).as_ref());
            return Err(ScenarioError::at(
                ErrorKind::NotUtf8,
                &name,
                &lossy,
                at..at + 1,
                FieldPath::root(),
                format!("the file is not valid UTF-8 (invalid byte at offset {at})"),
                "expected a UTF-8 encoded TOML file",
            ));
        }
    };
    load_str(&text, &name)
}

/// Parses and validates the built-in scenario `name` (source name `builtin:NAME`).
pub fn load_builtin(name: &str) -> Result<Scenario, ScenarioError> {
    let source_name = format!("builtin:{name}");
    match builtin_source(name) {
        Some(text) => load_str(text, &source_name),
        None => Err(ScenarioError::unlocated(
            ErrorKind::UnknownBuiltin,
            &source_name,
            format!("there is no built-in scenario `{name}`"),
            format!("known built-in scenarios: {}", builtin_names().join(", ")),
        )),
    }
}

/// Writes a scenario as TOML that [`load_str`] reads back to an equal [`Scenario`] (comments are not
/// kept; use [`builtin_source`] for the commented text of a built-in).
pub fn to_toml_string(scenario: &Scenario) -> Result<String, toml::ser::Error> {
    toml::to_string_pretty(scenario)
}

/// A TOML syntax error, located; the field path is left empty (the document may be half-parsed).
fn syntax_error(e: &toml::de::Error, source_name: &str, text: &Arc<str>) -> ScenarioError {
    let span = e.span().unwrap_or(0..0);
    let (message, hint) = split_expected(e.message());
    let hint = if hint.is_empty() { "expected valid TOML (see https://toml.io)".to_owned() } else { hint };
    ScenarioError::at(ErrorKind::Syntax, source_name, text, span, FieldPath::root(), message, hint)
}

/// A serde error (unknown field, wrong type, missing field, unknown variant), located, with the field path
/// found from its span.
fn schema_error(e: &toml::de::Error, source_name: &str, text: &Arc<str>, doc: &DeTable<'_>) -> ScenarioError {
    let span: Range<usize> = e.span().unwrap_or(0..0);
    let mut path = locate::path_at(doc, &span);
    let raw = e.message().trim();
    let (message, hint) = if let Some(field) = backticked(raw, "missing field `") {
        let hint = missing_field_hint(&path, &field);
        path = path.key(field.clone());
        (format!("missing required field `{field}`"), hint)
    } else if let Some(field) = backticked(raw, "unknown field `") {
        let (_, expected) = split_expected(raw);
        let valid = expected.trim_start_matches("expected ").trim_start_matches("one of ");
        let hint = match closest(&field, &names_in(&expected)) {
            Some(close) => format!("did you mean `{close}`? valid fields here: {valid}"),
            None => format!("valid fields here: {valid}"),
        };
        (format!("unknown field `{field}`"), hint)
    } else if let Some(variant) = backticked(raw, "unknown variant `") {
        let (_, expected) = split_expected(raw);
        (format!("unknown value `{variant}`"), expected)
    } else {
        let (message, expected) = split_expected(raw);
        let message = message.replacen("invalid type: ", "wrong type: ", 1);
        let hint = if expected.is_empty() {
            "see `shieldnet scenario show epaa-2015` for a complete example".to_owned()
        } else {
            expected
        };
        (message, hint)
    };
    ScenarioError::at(ErrorKind::Schema, source_name, text, span, path, message, hint)
}

/// The hint for a missing field at `table`.
fn missing_field_hint(table: &FieldPath, field: &str) -> String {
    if table.segments().is_empty() {
        match field {
            "party" | "raid" => format!("expected at least one [[{field}]] table"),
            "missile_types" => "expected at least one [missile_types.NAME] table".to_owned(),
            _ => format!("expected a [{field}] table"),
        }
    } else {
        format!("`{field}` is required in {table}; add `{field} = ...`")
    }
}

/// The text between `prefix` and the next backtick, when `message` starts with `prefix`.
fn backticked(message: &str, prefix: &str) -> Option<String> {
    let rest = message.strip_prefix(prefix)?;
    let end = rest.find('`')?;
    Some(rest[..end].to_owned())
}

/// Splits `what, expected X` into (`what`, `expected X'`) with serde's type names in plain words.
fn split_expected(message: &str) -> (String, String) {
    match message.split_once(", expected ") {
        Some((what, expected)) => {
            (what.trim().to_owned(), format!("expected {}", plain_type(expected.trim())))
        }
        None => (message.trim().to_owned(), String::new()),
    }
}

/// serde's names of types in words a scenario author knows.
fn plain_type(expected: &str) -> String {
    match expected {
        "u64" | "u32" | "u16" | "u8" | "usize" => "a non-negative integer".to_owned(),
        "i64" | "i32" => "an integer".to_owned(),
        "f64" | "f32" => "a number".to_owned(),
        "a sequence" => "an array".to_owned(),
        "a TOML datetime" => "a TOML date-time such as 2015-06-01T12:00:00Z".to_owned(),
        "a map" => "a table".to_owned(),
        e if e.starts_with("struct ") => "a table".to_owned(),
        e => e.to_owned(),
    }
}

/// The backticked names in a serde "expected one of `a`, `b`" list.
fn names_in(expected: &str) -> Vec<String> {
    expected.split('`').skip(1).step_by(2).map(str::to_owned).collect()
}

/// The candidate nearest to `word` by edit distance, if it is near enough to be a likely typo.
fn closest(word: &str, candidates: &[String]) -> Option<String> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.clone())
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_and_suggestions() {
        assert_eq!(edit_distance("scenaro", "scenario"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        let names = names_in("expected one of `scenario`, `party`, `radar`");
        assert_eq!(names, ["scenario", "party", "radar"]);
        assert_eq!(closest("scenaro", &names).as_deref(), Some("scenario"));
        assert_eq!(closest("zzzzzz", &names), None);
    }

    #[test]
    fn serde_type_names_become_words() {
        assert_eq!(
            split_expected("invalid type: string \"x\", expected u64"),
            ("invalid type: string \"x\"".to_owned(), "expected a non-negative integer".to_owned())
        );
        assert_eq!(split_expected("no comma here").1, "");
    }
}
