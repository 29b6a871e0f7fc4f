//! Any bytes given to the frame decoder (and to the envelope parser inside step frames) must give a
//! frame or an error, never a panic, an abort or unbounded allocation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shieldnet_net::frames::{Body, decode};

fuzz_target!(|data: &[u8]| {
    if let Ok(Body::Step(step)) = decode(data) {
        for w in &step.inbox {
            let _ = w.to_wire();
        }
    }
    if let Ok(Body::StepDone { output, .. }) = decode(data) {
        let _ = output.to_output();
    }
});
