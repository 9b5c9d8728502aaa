//! Control-plane requests: an input is `METHOD PATH\nBODY` (see
//! `FuzzRequest`). The body goes through the validation the daemon runs
//! for that route, on the model, where a refusal must change nothing, and
//! through the daemon's real router, whose answer must not be a server
//! error and must agree with that validation where it decides the answer.
//! Neither may panic.

#![no_main]

use gamehost_fuzz::model::{self, Verdict};
use gamehost_fuzz::{FuzzRequest, router};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(request) = FuzzRequest::parse(data) else {
        return;
    };
    let verdict = model::validate(&request);
    let status = router::send(&request);
    if let (Some(verdict), Some(status)) = (verdict, status)
        && request.routed_as_written()
    {
        let expected = match verdict {
            Verdict::Refused => 400,
            Verdict::Accepted(status) => status,
        };
        assert_eq!(
            status.as_u16(),
            expected,
            "{} {}: the router and the validation disagree ({verdict:?})",
            request.method,
            request.target
        );
    }
});
