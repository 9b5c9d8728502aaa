//! The one place wasmtime is configured, with the reason for each setting.

use std::time::Duration;
use wasmtime::{Config, InstanceAllocationStrategy, PoolingAllocationConfig};

/// Settings of the engine that every game server shares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EngineSettings {
    /// Most game servers alive at once.
    pub max_instances: u32,
    /// The largest memory cap any one game server may be given, in bytes.
    pub max_memory_bytes: u64,
    /// The memory cap of a game server unless its fleet says otherwise.
    pub default_memory_bytes: u64,
    /// The running time a single call into a guest may take (time it
    /// spends yielded to other game servers does not count).
    pub call_deadline: Duration,
    /// How often the epoch advances: the resolution of call deadlines.
    pub epoch_tick: Duration,
    /// How many calls that run past their first epoch tick may run at once:
    /// one fewer than the cores (at least one), so that a worker thread is
    /// always left to the short calls of the other game servers.
    pub long_call_lanes: usize,
}

/// One fewer than this machine's cores, at least one.
fn default_long_call_lanes() -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .saturating_sub(1)
        .max(1)
}

impl Default for EngineSettings {
    fn default() -> Self {
        Self {
            max_instances: 10_240,
            max_memory_bytes: 256 << 20,
            default_memory_bytes: 64 << 20,
            // The design promises a hung guest is interrupted within 50 ms of
            // its call; the fault lands a few ticks past the deadline (the
            // tick it is caught at, then unwinding and reporting), so the
            // budget leaves room for that.
            call_deadline: Duration::from_millis(40),
            epoch_tick: Duration::from_millis(1),
            long_call_lanes: default_long_call_lanes(),
        }
    }
}

/// Core modules a component may instantiate: a Rust guest has about four
/// (its code and wit-component's shims); interpreters for other languages
/// bring a few more.
const CORE_INSTANCES_PER_COMPONENT: u32 = 16;
/// Memories per component: one for most guests, a few for composed ones.
const MEMORIES_PER_COMPONENT: u32 = 4;
/// Tables per component: the code's function table and the shims' tables.
const TABLES_PER_COMPONENT: u32 = 8;
/// Function-table entries per table: interpreters compiled to wasm (Python,
/// JavaScript) have tens of thousands of functions.
const TABLE_ELEMENTS: usize = 100_000;
/// Wasm stack per call. Deep recursion traps with a stack overflow at this
/// depth instead of exhausting the host's stack.
const MAX_WASM_STACK: usize = 512 << 10;
/// Stack of the fiber each call runs on: the wasm stack plus room for the
/// host functions it calls.
const ASYNC_STACK: usize = 1 << 20;

/// Memory mappings a live game server takes in the process (its memory's
/// image, accessible pages and reserved rest; its fiber stack and guard
/// page, its tables): the kernel's `vm.max_map_count` divided by this
/// bounds how many game servers one process holds.
const MAPPINGS_PER_GAME_SERVER: u64 = 6;
/// Mappings kept for the rest of the process: libraries, threads, and the
/// allocator's mappings of large blocks. Past the kernel's limit even the
/// allocator fails and the process aborts, so game servers never take
/// these.
const MAPPINGS_KEPT_FOR_THE_PROCESS: u64 = 4_000;

/// How many game servers a process whose kernel allows `max_map_count`
/// memory mappings holds.
pub fn game_servers_within(max_map_count: u64) -> u32 {
    let room =
        max_map_count.saturating_sub(MAPPINGS_KEPT_FOR_THE_PROCESS) / MAPPINGS_PER_GAME_SERVER;
    u32::try_from(room).unwrap_or(u32::MAX)
}

/// The `vm.max_map_count` that holds `game_servers`.
pub fn map_count_for(game_servers: u32) -> u64 {
    u64::from(game_servers) * MAPPINGS_PER_GAME_SERVER + MAPPINGS_KEPT_FOR_THE_PROCESS
}

/// This machine's `vm.max_map_count`, when the kernel tells it.
pub fn max_map_count() -> Option<u64> {
    std::fs::read_to_string("/proc/sys/vm/max_map_count")
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// `settings` with `max_instances` lowered to what `max_map_count` holds,
/// with a warning saying how to raise the limit when it is lowered.
pub fn within_map_count(
    mut settings: EngineSettings,
    max_map_count: Option<u64>,
) -> EngineSettings {
    let Some(limit) = max_map_count else {
        return settings;
    };
    let fit = game_servers_within(limit);
    if fit < settings.max_instances {
        tracing::warn!(
            "vm.max_map_count is {limit}: {fit} game servers fit, not the {} allowed; \
             `sysctl -w vm.max_map_count={}` makes room for them all",
            settings.max_instances,
            map_count_for(settings.max_instances)
        );
        settings.max_instances = fit.max(1);
    }
    settings
}

/// The wasmtime configuration for `settings`.
pub fn wasmtime_config(settings: &EngineSettings) -> Config {
    let mut config = Config::new();
    // Game modes are components of the `game-server` world.
    config.wasm_component_model(true);
    // Every call into a guest is checked against its deadline at each epoch
    // tick it runs through; an endless loop is interrupted at the first tick
    // past it, and each tick lets the executor run other game servers in
    // between.
    config.epoch_interruption(true);
    // Stack overflow is a trap of the guest, not a crash of the host.
    config.max_wasm_stack(MAX_WASM_STACK);
    config.async_stack_size(ASYNC_STACK);
    // Pooling keeps every instance's memory, tables and stacks in
    // preallocated slots: instantiation is a slot lookup plus a copy-on-write
    // mapping of the initial memory, which is what makes microsecond starts
    // possible.
    config.allocation_strategy(InstanceAllocationStrategy::Pooling(pooling(settings)));
    // Memory images are mapped copy-on-write, so only pages a guest touches
    // cost resident memory.
    config.memory_init_cow(true);
    // A slot reserves exactly the largest cap plus a small guard, instead of
    // the 4 GiB default that would not fit ten thousand instances in the
    // address space; bounds checks become explicit, which costs little.
    config.memory_reservation(settings.max_memory_bytes);
    config.memory_guard_size(64 << 10);
    config.memory_reservation_for_growth(0);
    config
}

fn pooling(settings: &EngineSettings) -> PoolingAllocationConfig {
    let n = settings.max_instances;
    let mut pool = PoolingAllocationConfig::new();
    pool.total_component_instances(n)
        .total_core_instances(n * 4)
        .max_core_instances_per_component(CORE_INSTANCES_PER_COMPONENT)
        .total_memories(n)
        .max_memories_per_component(MEMORIES_PER_COMPONENT)
        .max_memory_size(usize::try_from(settings.max_memory_bytes).unwrap_or(usize::MAX))
        .total_tables(n * 2)
        .max_tables_per_component(TABLES_PER_COMPONENT)
        .table_elements(TABLE_ELEMENTS)
        // One fiber stack per game server: calls into one game server never
        // overlap, so this is the most that can be in flight.
        .total_stacks(n)
        // Reset small memories and stacks by zeroing the touched prefix
        // rather than an madvise system call: faster reuse of a slot.
        .linear_memory_keep_resident(128 << 10)
        .async_stack_keep_resident(64 << 10)
        .table_keep_resident(64 << 10);
    pool
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn game_servers_are_bounded_by_the_mapping_limit() {
        // (max_map_count, max_instances asked) → max_instances given
        let cases = [
            (None, 20_000, 20_000),
            (Some(65_530), 10_240, 10_240),
            (Some(65_530), 20_000, 10_255),
            (Some(map_count_for(20_000)), 20_000, 20_000),
            (Some(map_count_for(20_000) - 1), 20_000, 19_999),
            (Some(262_144), 20_000, 20_000),
            (Some(100), 256, 1),
        ];
        for (limit, asked, given) in cases {
            let settings = EngineSettings {
                max_instances: asked,
                ..EngineSettings::default()
            };
            assert_eq!(
                within_map_count(settings, limit).max_instances,
                given,
                "max_map_count {limit:?}, {asked} asked"
            );
        }
    }
}
