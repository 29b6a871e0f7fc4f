//! Reading instances from JSON: `{"target_values": [..], "weapons": [{"count": n, "pk": [..]}, ..]}`.
//!
//! Errors name the line and column (syntax, missing or mistyped fields, negative counts) or the
//! field and index with its valid range (values, probabilities, lengths).

use std::path::Path;

use super::{WtaError, WtaInstance};

/// Parses and validates an instance from JSON text.
pub fn parse_instance(text: &str) -> Result<WtaInstance, WtaError> {
    let inst: WtaInstance = serde_json::from_str(text).map_err(|e| WtaError::Json {
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })?;
    inst.validate()?;
    Ok(inst)
}

/// Reads, parses and validates an instance file.
pub fn read_instance(path: &Path) -> Result<WtaInstance, WtaError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| WtaError::Io { path: path.display().to_string(), message: e.to_string() })?;
    parse_instance(&text)
}

/// Writes an instance as pretty JSON.
pub fn to_json(inst: &WtaInstance) -> String {
    serde_json::to_string_pretty(inst).expect("instance serialises")
}

/// serde_json appends " at line L column C"; we report those separately.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(k) => msg[..k].to_string(),
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_file_parses() {
        let inst =
            parse_instance(r#"{"target_values":[10,20],"weapons":[{"count":2,"pk":[0.5,0.7]}]}"#).unwrap();
        assert_eq!(inst.total_rounds(), 2);
    }

    #[test]
    fn errors_name_position_and_field() {
        let e =
            parse_instance("{\n \"target_values\": [1],\n \"weapons\": [{\"count\": -1, \"pk\": [0.5]}]\n}")
                .unwrap_err();
        match &e {
            WtaError::Json { line, message, .. } => {
                assert_eq!(*line, 3);
                assert!(message.contains("-1"), "{message}");
            }
            other => panic!("unexpected {other:?}"),
        }
        let e = parse_instance(r#"{"target_values":[1]}"#).unwrap_err();
        assert!(e.to_string().contains("weapons"), "{e}");
        let e = parse_instance(r#"{"target_values":[1],"weapons":[{"count":1,"pk":[1.5]}]}"#).unwrap_err();
        assert!(e.to_string().contains("weapons[0].pk[0]") && e.to_string().contains("[0, 1]"), "{e}");
        let e = parse_instance(r#"{"target_values":[-3],"weapons":[]}"#).unwrap_err();
        assert!(e.to_string().contains("target_values[0]"), "{e}");
        let e = parse_instance(r#"{"target_values":[1,2],"weapons":[{"count":1,"pk":[0.5]}]}"#).unwrap_err();
        assert!(matches!(e, WtaError::PkLength { weapon: 0, len: 1, targets: 2 }), "{e}");
        let e =
            parse_instance(r#"{"target_values":[1],"weapons":[{"count":1,"pk":[0.5]}],"x":1}"#).unwrap_err();
        assert!(e.to_string().contains("unknown field"), "{e}");
        assert!(parse_instance("{").is_err());
    }
}
