//! The built-in scenarios, embedded in the binary.

/// One built-in scenario.
struct Builtin {
    name: &'static str,
    description: &'static str,
    source: &'static str,
}

/// Every built-in, in listing order (the first is the default of `shieldnet run`).
const BUILTINS: [Builtin; 2] = [
    Builtin {
        name: "epaa-2015",
        description: "EPAA phase II (2015): NATO and Russian radars and interceptors against an Iranian \
                      MRBM raid, cooperating in mode M3 (notional values)",
        source: include_str!("epaa-2015.toml"),
    },
    Builtin {
        name: "two-radars-one-threat",
        description: "Minimal test case: one party, two radars, one MRBM, no interceptors",
        source: include_str!("two-radars-one-threat.toml"),
    },
];

/// The names of the built-in scenarios, in listing order (the first is the default scenario).
const NAMES: [&str; 2] = [BUILTINS[0].name, BUILTINS[1].name];

/// The names of the built-in scenarios; the first is the default of `shieldnet run`.
pub fn builtin_names() -> &'static [&'static str] {
    &NAMES
}

/// The TOML text (with its comments) of the built-in scenario `name`.
pub fn builtin_source(name: &str) -> Option<&'static str> {
    BUILTINS.iter().find(|b| b.name == name).map(|b| b.source)
}

/// A one-line description of the built-in scenario `name`, for listings.
pub fn builtin_description(name: &str) -> Option<&'static str> {
    BUILTINS.iter().find(|b| b.name == name).map(|b| b.description)
}
