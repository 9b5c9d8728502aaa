//! The Extism peer of the `bench` game mode: `run` calls the host's
//! `increment_counter("bench", 1)` as many times as its input says, the same
//! work the Gamehost guest does through `gamehost:sdk/counters`.

use extism_pdk::{FnResult, host_fn, plugin_fn};

#[host_fn]
extern "ExtismHost" {
    fn increment_counter(key: String, amount: i64);
}

/// Calls `increment_counter("bench", 1)` `calls` times (a decimal input).
#[plugin_fn]
pub fn run(calls: String) -> FnResult<String> {
    let calls: u32 = calls.trim().parse()?;
    for _ in 0..calls {
        // SAFETY: the host function is declared by the host with this
        // signature; the PDK passes both arguments through Extism memory.
        unsafe { increment_counter("bench".to_owned(), 1)? };
    }
    Ok(calls.to_string())
}

/// Does nothing: the first call of a new plugin instantiates it.
#[plugin_fn]
pub fn noop(_: String) -> FnResult<String> {
    Ok(String::new())
}
