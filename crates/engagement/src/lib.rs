//! The response: threat evaluation, engagement feasibility, weapon-target assignment and the
//! coordination rules that keep parties from double-engaging.

pub mod wta;
