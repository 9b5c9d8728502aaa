//! Control-plane requests: an input is `METHOD PATH\nBODY` (see
//! `FuzzRequest`). The body goes through the daemon's real router, whose
//! answer must not be a server error, and through the validation the
//! daemon runs for that route on the model, where a refusal must change
//! nothing. Neither may panic.

#![no_main]

use gamehost_fuzz::{FuzzRequest, model, router};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(request) = FuzzRequest::parse(data) {
        model::validate(&request);
        router::send(&request);
    }
});
