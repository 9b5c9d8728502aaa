//! `gamehost-bench`: measures every performance target of the design that
//! can be measured on one machine, each beside the alternative a user would
//! pick instead, in one run: the Agones REST SDK sidecar, the Extism plugin
//! engine, and a process per match. Prints one table and writes the results
//! as JSON.
//!
//! Run it with `scripts/bench [--quick]`, which builds what it needs.

use gamehost_bench::harness::{self, Paths, Sizes};
use gamehost_bench::report::{self, Machine, Results};

fn main() -> anyhow::Result<()> {
    let quick = std::env::args().any(|a| a == "--quick");
    let paths = Paths::from_args()?;
    let machine = Machine::this();
    eprintln!("measuring on {}", machine.describe());
    let rows = harness::run(&Sizes::new(quick), &paths)?;
    eprintln!("load average at the end {}", report::load_average());
    let table = report::table(&rows);
    println!("\n{table}");
    let previous = std::fs::read_to_string(&paths.json).ok();
    if let Some(previous) = previous {
        report::compare(&previous, &rows);
    }
    if let Some(dir) = paths.json.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let results = Results {
        quick,
        finished_at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_secs(),
        machine: &machine,
        rows: &rows,
    };
    std::fs::write(&paths.json, serde_json::to_string_pretty(&results)? + "\n")?;
    eprintln!("wrote {}", paths.json.display());
    Ok(())
}
