//! Where the guest toolchains are, at the versions pinned in
//! `toolchains.env`, and for each language whose toolchain is missing, what
//! to install.

use std::collections::BTreeMap;
use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The installed guest toolchains.
pub struct Toolchains {
    /// `wit-bindgen` (C bindings).
    pub wit_bindgen: PathBuf,
    /// `wasm-tools` (C components).
    pub wasm_tools: PathBuf,
    /// The Python of the virtual environment holding `ziglang` (the C
    /// compiler, run as `python -m ziglang cc`).
    pub python: PathBuf,
    /// `componentize-py`.
    pub componentize_py: PathBuf,
    /// `node`, with componentize-js in `guest-examples/js/node_modules`.
    pub node: PathBuf,
    /// What to install, by language (`c`, `js`, `python`), where missing.
    missing: BTreeMap<&'static str, Vec<String>>,
}

impl Toolchains {
    /// Finds every toolchain where `./scripts/setup` installs it, noting
    /// each one that is missing and how to install it.
    pub fn locate(here: &Path) -> Self {
        let pins_file = here.join("toolchains.env");
        println!("cargo:rerun-if-changed={}", pins_file.display());
        println!("cargo:rerun-if-env-changed=GAMEHOST_TOOLCHAINS");
        let pins = pins(&pins_file);
        let pin = |name: &str| -> &str {
            pins.get(name)
                .unwrap_or_else(|| panic!("{} does not pin {name}", pins_file.display()))
        };
        let root = match env::var_os("GAMEHOST_TOOLCHAINS") {
            Some(dir) => PathBuf::from(dir),
            None => PathBuf::from(env::var_os("HOME").expect("HOME is set"))
                .join(".cache/gamehost/toolchains"),
        };
        let venv = root.join("python/bin");
        let componentize_js = here.join("js/node_modules/@bytecodealliance/componentize-js");
        let node = which("node");
        let mut tools = Toolchains {
            wit_bindgen: root.join("bin/wit-bindgen"),
            wasm_tools: root.join("bin/wasm-tools"),
            python: venv.join("python"),
            componentize_py: venv.join("componentize-py"),
            node: node.clone().unwrap_or_default(),
            missing: BTreeMap::new(),
        };
        let zig = Command::new(&tools.python)
            .args(["-m", "ziglang", "version"])
            .output()
            .is_ok_and(|o| o.status.success());
        let required = [
            (
                "c",
                tools.wit_bindgen.exists(),
                format!(
                    "wit-bindgen-cli {} (C guests): `cargo install --locked --root {} wit-bindgen-cli@{0}`",
                    pin("WIT_BINDGEN_CLI"),
                    root.display()
                ),
            ),
            (
                "c",
                tools.wasm_tools.exists(),
                format!(
                    "wasm-tools {} (C guests): `cargo install --locked --root {} wasm-tools@{0}`",
                    pin("WASM_TOOLS"),
                    root.display()
                ),
            ),
            (
                "c",
                zig,
                format!(
                    "the Zig C compiler (C guests): `{}/python/bin/pip install ziglang=={}` in a virtual environment made with `python3 -m venv {0}/python`",
                    root.display(),
                    pin("ZIGLANG")
                ),
            ),
            (
                "python",
                tools.componentize_py.exists(),
                format!(
                    "componentize-py {} (Python guests): `{}/python/bin/pip install componentize-py=={0}`",
                    pin("COMPONENTIZE_PY"),
                    root.display()
                ),
            ),
            (
                "js",
                node.is_some() && componentize_js.exists(),
                format!(
                    "Node.js 20 or newer and componentize-js (JavaScript guests): `npm install --no-save` in {}",
                    here.join("js").display()
                ),
            ),
        ];
        for (language, present, install) in required {
            if !present {
                tools.missing.entry(language).or_default().push(install);
            }
        }
        // A toolchain installed anew (another pinned version) rebuilds.
        for tool in [
            &tools.wit_bindgen,
            &tools.wasm_tools,
            &tools.componentize_py,
            &componentize_js.join("package.json"),
        ] {
            println!("cargo:rerun-if-changed={}", tool.display());
        }
        tools
    }

    /// What to install for the guests of `language`, if anything is missing.
    pub fn missing(&self, language: &str) -> Option<String> {
        let missing = self.missing.get(language)?;
        Some(format!(
            "its toolchain is missing; run ./scripts/setup, which installs every guest toolchain, or install:\n  - {}",
            missing.join("\n  - ")
        ))
    }
}

/// The `NAME=value` lines of a pins file.
fn pins(path: &Path) -> BTreeMap<String, String> {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once('='))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect()
}

/// The program `name` on the PATH.
fn which(name: &str) -> Option<PathBuf> {
    env::split_paths(&env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}
