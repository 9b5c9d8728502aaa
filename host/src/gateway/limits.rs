//! The gateway's limits on strangers, as pure rules over an injected clock:
//! connection attempts and open connections per source address, and
//! messages and bytes per player, each a rate a player may burst to for a
//! second.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// The most source addresses tracked at once; past it (after forgetting
/// idle ones) a new address is refused until some leave.
pub const MAX_TRACKED_ADDRESSES: usize = 100_000;

/// The key an address is counted under: an IPv6 address by its /64, the
/// block one subscriber usually holds.
fn key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => {
            let mut octets = v6.octets();
            octets[8..].fill(0);
            IpAddr::from(octets)
        }
    }
}

/// Why an address may not connect now.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// More attempts this second than allowed.
    TooFast(u32),
    /// As many connections open as allowed.
    TooMany(usize),
    /// Too many addresses connected to the host.
    Crowded,
}

impl Refusal {
    /// The close reason a player gets.
    pub fn reason(&self) -> String {
        match self {
            Refusal::TooFast(limit) => format!(
                "more than {limit} connection attempts a second from this address, the limit; retry shortly"
            ),
            Refusal::TooMany(limit) => {
                format!("{limit} connections are open from this address, the limit")
            }
            Refusal::Crowded => "the host tracks too many addresses now; retry shortly".into(),
        }
    }
}

#[derive(Debug)]
struct Address {
    window: Instant,
    attempts: u32,
    open: usize,
}

/// Attempts and open connections by source address.
#[derive(Debug, Default)]
pub struct Addresses {
    by_key: HashMap<IpAddr, Address>,
}

impl Addresses {
    /// Counts an attempt from `address` at `now` and, if it is allowed (at
    /// most `per_second` attempts a second, `max_open` open; 0 is no limit),
    /// an open connection, which [`Addresses::close`] gives back.
    pub fn open(
        &mut self,
        address: IpAddr,
        now: Instant,
        per_second: u32,
        max_open: usize,
    ) -> Result<(), Refusal> {
        let key = key(address);
        if !self.by_key.contains_key(&key) && self.by_key.len() >= MAX_TRACKED_ADDRESSES {
            self.by_key
                .retain(|_, a| a.open > 0 || now.duration_since(a.window) < Duration::from_secs(1));
            if self.by_key.len() >= MAX_TRACKED_ADDRESSES {
                return Err(Refusal::Crowded);
            }
        }
        let entry = self.by_key.entry(key).or_insert(Address {
            window: now,
            attempts: 0,
            open: 0,
        });
        if now.duration_since(entry.window) >= Duration::from_secs(1) {
            entry.window = now;
            entry.attempts = 0;
        }
        entry.attempts = entry.attempts.saturating_add(1);
        if per_second > 0 && entry.attempts > per_second {
            return Err(Refusal::TooFast(per_second));
        }
        if max_open > 0 && entry.open >= max_open {
            return Err(Refusal::TooMany(max_open));
        }
        entry.open += 1;
        Ok(())
    }

    /// Gives back a connection [`Addresses::open`] counted.
    pub fn close(&mut self, address: IpAddr, now: Instant) {
        let key = key(address);
        if let Some(entry) = self.by_key.get_mut(&key) {
            entry.open = entry.open.saturating_sub(1);
            if entry.open == 0 && now.duration_since(entry.window) >= Duration::from_secs(1) {
                self.by_key.remove(&key);
            }
        }
    }

    /// How many addresses are tracked.
    #[cfg(test)]
    pub fn tracked(&self) -> usize {
        self.by_key.len()
    }
}

/// What one player may send a second: messages and bytes.
#[derive(Debug)]
pub struct PlayerRates {
    messages: Rate,
    bytes: Rate,
}

impl PlayerRates {
    /// Full buckets at `now`, at `messages` and `bytes` a second (0: no
    /// limit).
    pub fn new(messages: u32, bytes: u32, now: Instant) -> Self {
        Self {
            messages: Rate::new(messages, now),
            bytes: Rate::new(bytes, now),
        }
    }

    /// Whether there is no limit at all: then no message needs the time.
    pub fn unlimited(&self) -> bool {
        self.messages.per_second == 0 && self.bytes.per_second == 0
    }

    /// Counts a message of `size` bytes at `now`, or says which rate it is
    /// past (the reason the player is disconnected with).
    pub fn take(&mut self, size: usize, now: Instant) -> Result<(), String> {
        if !self.messages.take(1, now) {
            let limit = self.messages.per_second;
            return Err(format!(
                "sent more than {limit} messages a second, the limit"
            ));
        }
        let size = u32::try_from(size).unwrap_or(u32::MAX);
        if !self.bytes.take(size, now) {
            let limit = self.bytes.per_second;
            return Err(format!("sent more than {limit} bytes a second, the limit"));
        }
        Ok(())
    }
}

/// A rate: at most `per_second` a second, with a burst of one second's
/// worth; 0 is no limit.
#[derive(Debug)]
pub struct Rate {
    per_second: u32,
    available: f64,
    at: Instant,
}

impl Rate {
    /// A full bucket at `now`.
    pub fn new(per_second: u32, now: Instant) -> Self {
        Self {
            per_second,
            available: f64::from(per_second),
            at: now,
        }
    }

    /// Takes `amount` at `now`; false when that is past the rate.
    pub fn take(&mut self, amount: u32, now: Instant) -> bool {
        if self.per_second == 0 {
            return true;
        }
        let rate = f64::from(self.per_second);
        let elapsed = now.duration_since(self.at).as_secs_f64();
        self.available = (self.available + elapsed * rate).min(rate);
        self.at = now;
        if self.available < f64::from(amount) {
            return false;
        }
        self.available -= f64::from(amount);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_limited_in_attempts_and_open_connections() {
        let start = Instant::now();
        let at = |ms: u64| start + Duration::from_millis(ms);
        let a: IpAddr = "203.0.113.7".parse().unwrap();
        let b: IpAddr = "203.0.113.8".parse().unwrap();
        let mut addresses = Addresses::default();
        // (address, time in ms, close one first, expected)
        let steps: [(IpAddr, u64, bool, Result<(), Refusal>); 8] = [
            (a, 0, false, Ok(())),
            (a, 10, false, Ok(())),
            (a, 20, false, Err(Refusal::TooMany(2))),
            (a, 30, false, Err(Refusal::TooFast(3))),
            (b, 30, false, Ok(())),
            (a, 1_000, true, Ok(())),
            (a, 1_010, false, Err(Refusal::TooMany(2))),
            (a, 1_020, true, Ok(())),
        ];
        for (address, ms, close_first, expected) in steps {
            if close_first {
                addresses.close(address, at(ms));
            }
            assert_eq!(
                addresses.open(address, at(ms), 3, 2),
                expected,
                "{address} at {ms} ms"
            );
        }
        assert_eq!(addresses.tracked(), 2);
    }

    #[test]
    fn ipv6_addresses_count_by_their_64_bit_prefix() {
        let now = Instant::now();
        let mut addresses = Addresses::default();
        let one: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let same_block: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let other_block: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(addresses.open(one, now, 0, 1), Ok(()));
        assert_eq!(
            addresses.open(same_block, now, 0, 1),
            Err(Refusal::TooMany(1))
        );
        assert_eq!(addresses.open(other_block, now, 0, 1), Ok(()));
    }

    #[test]
    fn zero_is_no_limit_and_idle_addresses_are_forgotten() {
        let start = Instant::now();
        let a: IpAddr = "198.51.100.1".parse().unwrap();
        let mut addresses = Addresses::default();
        for _ in 0..1_000 {
            assert_eq!(addresses.open(a, start, 0, 0), Ok(()));
        }
        for _ in 0..1_000 {
            addresses.close(a, start + Duration::from_secs(2));
        }
        assert_eq!(addresses.tracked(), 0);
    }

    #[test]
    fn a_rate_allows_a_second_of_burst_then_its_pace() {
        let start = Instant::now();
        let at = |ms: u64| start + Duration::from_millis(ms);
        let mut rate = Rate::new(10, start);
        for _ in 0..10 {
            assert!(rate.take(1, start));
        }
        assert!(!rate.take(1, start), "the burst is spent");
        assert!(!rate.take(1, at(50)), "half a message has come back");
        assert!(rate.take(1, at(100)), "one message a tenth of a second");
        assert!(
            !rate.take(20, at(10_000)),
            "more than a second's worth at once"
        );
        assert!(Rate::new(0, start).take(u32::MAX, start), "0 is no limit");
    }

    #[test]
    fn a_player_is_held_to_its_messages_and_its_bytes() {
        let now = Instant::now();
        let mut rates = PlayerRates::new(2, 100, now);
        assert_eq!(rates.take(60, now), Ok(()));
        assert_eq!(
            rates.take(60, now),
            Err("sent more than 100 bytes a second, the limit".into())
        );
        let mut rates = PlayerRates::new(1, 0, now);
        assert_eq!(rates.take(1, now), Ok(()));
        assert_eq!(
            rates.take(1, now),
            Err("sent more than 1 messages a second, the limit".into())
        );
        assert!(!rates.unlimited());
        assert!(PlayerRates::new(0, 0, now).unlimited());
    }
}
