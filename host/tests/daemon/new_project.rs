//! `gamehost new`: a project made in a folder outside the repository builds
//! with its language's toolchain (as `./scripts/setup` installs it), passes
//! `gamehost check`, and plays: a player joins it through the gateway and
//! its message comes back. A JavaScript project type-checks against the
//! SDK's TypeScript declarations it came with, and a Python project's
//! bindings define, typed, what its game mode uses; both are what their
//! generators make from the WIT now.

use crate::GAMEHOST;
use gamehost_tests::TempDir;
use gamehost_tests::players::join_a_new_match;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `command` to its end off the runtime's workers; returns its stdout,
/// failing the test with its output when it fails.
async fn run(mut command: Command, what: &str) -> String {
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("the command's run")
        .unwrap_or_else(|e| panic!("starting {what}: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{what} failed:\n{stdout}\n{stderr}"
    );
    stdout
}

/// Makes project `name` in language `lang` in a new temporary folder, and
/// checks that the WIT it holds is the binary's and that making it again
/// is refused; returns the temporary folder, removed when dropped, and the
/// project's folder in it.
async fn new_project(name: &str, lang: &str) -> (TempDir, PathBuf) {
    let dir = gamehost_tests::temp_dir("gamehost-new");
    let mut new = Command::new(GAMEHOST);
    new.args(["new", name, "--lang", lang, "--dir"])
        .arg(dir.path());
    run(new, "gamehost new").await;
    let project = dir.path().join(name);
    let repo_wit = Path::new(env!("CARGO_MANIFEST_DIR")).join("../wit/world.wit");
    assert_eq!(
        std::fs::read_to_string(project.join("wit/world.wit")).expect("the project's WIT"),
        std::fs::read_to_string(repo_wit).expect("the repository's WIT"),
        "the WIT is the binary's"
    );
    let mut again = Command::new(GAMEHOST);
    again
        .args(["new", name, "--lang", lang, "--dir"])
        .arg(dir.path());
    let refused = again.output().expect("running gamehost new");
    assert!(
        !refused.status.success(),
        "an existing folder is not overwritten"
    );
    assert!(String::from_utf8_lossy(&refused.stderr).contains("already exists"));
    (dir, project)
}

/// Builds the Rust project in `project` into a component, in a target
/// folder kept between runs; returns the component's path.
async fn build_rust(project: &Path, crate_name: &str) -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("new-projects");
    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cargo
        .current_dir(project)
        .args([
            "build",
            "--release",
            "--target",
            "wasm32-wasip2",
            "--target-dir",
        ])
        .arg(&target);
    // The test's own build settings are for the host, not for the project.
    for var in [
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTFLAGS",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
    ] {
        cargo.env_remove(var);
    }
    run(cargo, "building the new project").await;
    target
        .join("wasm32-wasip2/release")
        .join(format!("{crate_name}.wasm"))
}

/// Where `./scripts/setup` installs the guest toolchains.
fn toolchains() -> PathBuf {
    std::env::var_os("GAMEHOST_TOOLCHAINS").map_or_else(
        || {
            PathBuf::from(std::env::var_os("HOME").expect("HOME is set"))
                .join(".cache/gamehost/toolchains")
        },
        PathBuf::from,
    )
}

/// Builds the C project in `project` with its `build.sh` and the tools
/// `./scripts/setup` installs; returns the component's path.
async fn build_c(project: &Path, name: &str) -> PathBuf {
    let toolchains = toolchains();
    let mut build = Command::new(project.join("build.sh"));
    build
        .env("WIT_BINDGEN", toolchains.join("bin/wit-bindgen"))
        .env("WASM_TOOLS", toolchains.join("bin/wasm-tools"))
        .env("PYTHON", toolchains.join("python/bin/python"));
    let printed = run(build, "the new project's build.sh").await;
    assert!(printed.contains(&format!("built {name}.wasm")), "{printed}");
    project.join(format!("{name}.wasm"))
}

/// An npm command run in `project`.
fn npm(project: &Path, args: &[&str]) -> Command {
    let mut npm = Command::new("npm");
    npm.current_dir(project)
        .args(args)
        .args(["--no-audit", "--no-fund", "--loglevel=error"]);
    npm
}

/// Builds the JavaScript project in `project` as its README says: installs
/// its locked packages (from the npm cache `./scripts/setup` filled when it
/// has them all, from the registry otherwise), type-checks the game mode
/// against the SDK's declarations, and builds; returns the component's
/// path.
async fn build_js(project: &Path, name: &str) -> PathBuf {
    let mut offline = npm(project, &["install", "--offline"]);
    let cached = tokio::task::spawn_blocking(move || offline.output())
        .await
        .expect("the command's run")
        .is_ok_and(|output| output.status.success());
    if !cached {
        run(npm(project, &["install"]), "npm install").await;
    }
    run(npm(project, &["run", "check"]), "npm run check").await;
    let printed = run(npm(project, &["run", "build"]), "npm run build").await;
    assert!(
        printed.contains(&format!("built dist/{name}.wasm")),
        "{printed}"
    );
    project.join(format!("dist/{name}.wasm"))
}

/// Generates the SDK's TypeScript declarations from the WIT in `argv[1]`
/// into the folder `argv[2]` with the jco the project installed (a
/// dependency of componentize-js), through its API: jco's `guest-types`
/// command reads no path, for the Node.js file system of the
/// preview2-shim it runs on opens no folder until told to.
const GUEST_TYPES: &str = r#"
import { createRequire } from 'node:module';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
const [wit, out] = process.argv.slice(1);
const transpile = createRequire(resolve('package.json')).resolve('@bytecodealliance/jco-transpile');
const shim = createRequire(transpile).resolve('@bytecodealliance/preview2-shim/filesystem');
const { _setPreopens } = await import(pathToFileURL(shim));
_setPreopens({ '/': '/' });
const { generateGuestTypes } = await import(pathToFileURL(transpile));
const files = await generateGuestTypes(resolve(wit), { worldName: 'game-server' });
for (const [path, text] of Object.entries(files)) {
  await mkdir(dirname(join(out, path)), { recursive: true });
  await writeFile(join(out, path), text);
}
"#;

/// The files under `dir`, by path relative to it, with their bytes.
fn files_under(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("a folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("a file");
                let relative = path.strip_prefix(dir).expect("under dir").to_path_buf();
                files.insert(relative, bytes);
            }
        }
    }
    files
}

/// Checks that the files `shipped` are those the generator wrote into
/// `generated` (`what` says which and how to make them again).
fn assert_same_files(
    shipped: &BTreeMap<PathBuf, Vec<u8>>,
    generated: &BTreeMap<PathBuf, Vec<u8>>,
    what: &str,
) {
    let names = |files: &BTreeMap<PathBuf, Vec<u8>>| files.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(shipped), names(generated), "{what}: the same files");
    for (path, bytes) in generated {
        assert!(
            shipped[path] == *bytes,
            "{what}: {} is out of date with the WIT",
            path.display()
        );
    }
}

/// Checks that the project's `types/` are the declarations jco generates
/// from the WIT: the ones built into `gamehost new`, in
/// `host/templates/js/types`, are up to date.
async fn assert_types_are_current(project: &Path) {
    let out = gamehost_tests::temp_dir("gamehost-guest-types");
    let mut node = Command::new("node");
    node.current_dir(project)
        .args(["--input-type=module", "-e", GUEST_TYPES, "wit"])
        .arg(out.path());
    run(node, "generating the SDK's TypeScript declarations").await;
    assert_same_files(
        &files_under(&project.join("types")),
        &files_under(out.path()),
        "host/templates/js/types (generate them again with jco's generateGuestTypes)",
    );
}

/// Builds the Python project in `project` as its README says, with the
/// componentize-py `./scripts/setup` installs; returns the component's path.
async fn build_python(project: &Path, name: &str) -> PathBuf {
    let mut build = Command::new(toolchains().join("python/bin/componentize-py"));
    build
        .current_dir(project)
        .args([
            "-d",
            "wit",
            "-w",
            "game-server",
            "componentize",
            "app",
            "-o",
        ])
        .arg(format!("{name}.wasm"))
        .env("PYTHONDONTWRITEBYTECODE", "1");
    run(build, "componentize-py").await;
    project.join(format!("{name}.wasm"))
}

/// Checks that each SDK module `app` uses, and each name it takes from it,
/// is in the project's bindings, functions with every parameter and the
/// result typed, and that `app.Callbacks` implements every callback;
/// prints how many names it checked.
const STUBS_CHECK: &str = r#"
import ast, inspect, sys
sys.path.insert(0, ".")
import app
sdk = {name: module for name, module in vars(app).items()
       if inspect.ismodule(module) and module.__name__.startswith("wit_world")}
used = {(node.value.id, node.attr) for node in ast.walk(ast.parse(open("app.py").read()))
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
        and node.value.id in sdk}
for module, name in sorted(used):
    value = getattr(sdk[module], name)
    if inspect.isfunction(value):
        signature = inspect.signature(value)
        untyped = [p for p in signature.parameters.values() if p.annotation is p.empty]
        assert not untyped and signature.return_annotation is not signature.empty, (module, name)
app.Callbacks()
print(f"checked {len(used)} SDK names")
"#;

/// Checks the project's Python bindings: they are what componentize-py
/// generates from the WIT now (the ones built into `gamehost new`, in
/// `host/templates/python`, are up to date), and they define, typed, what
/// the game mode uses.
async fn assert_stubs_are_current_and_typed(project: &Path) {
    let out = gamehost_tests::temp_dir("gamehost-bindings");
    let mut bindings = Command::new(toolchains().join("python/bin/componentize-py"));
    bindings
        .current_dir(project)
        .args(["-d", "wit", "-w", "game-server", "bindings"])
        .arg(out.path());
    run(bindings, "componentize-py bindings").await;
    let shipped = |dir: &Path| {
        let mut files = files_under(&dir.join("wit_world"))
            .into_iter()
            .map(|(path, bytes)| (Path::new("wit_world").join(path), bytes))
            .collect::<BTreeMap<_, _>>();
        let types = "componentize_py_types.py";
        let bytes = std::fs::read(dir.join(types)).expect(types);
        files.insert(types.into(), bytes);
        files
    };
    assert_same_files(
        &shipped(project),
        &shipped(out.path()),
        "host/templates/python (generate them again with `componentize-py -d wit -w game-server bindings`)",
    );
    let mut python = Command::new(toolchains().join("python/bin/python"));
    python
        .current_dir(project)
        .args(["-c", STUBS_CHECK])
        .env("PYTHONDONTWRITEBYTECODE", "1");
    let printed = run(python, "checking the Python bindings").await;
    assert!(printed.starts_with("checked "), "{printed}");
}

/// Checks the component at `component` with `gamehost check`, serves it as
/// fleet `fleet` with the project's template, and plays: a player joins,
/// is welcomed, and gets its message back.
async fn check_and_play(project: &Path, component: &Path, fleet: &str) {
    let mut check = Command::new(GAMEHOST);
    check.arg("check").arg(component);
    let checked = run(check, "gamehost check").await;
    assert!(
        checked.contains("a gamehost:sdk/game-server component"),
        "{checked}"
    );

    let template: Value = serde_json::from_slice(
        &std::fs::read(project.join("template.json")).expect("the project's template"),
    )
    .expect("a JSON template");
    // A JavaScript or Python component is over 10 MB of SpiderMonkey or
    // CPython, which a debug build compiles for tens of seconds on a busy
    // machine while its upload waits.
    let daemon = crate::daemon_with(None, &["--request-timeout", "300s"]).await;
    let path = component.to_str().expect("a UTF-8 path");
    daemon.deploy(fleet, path, 1, template).await;
    daemon.ready_game_servers(fleet, 1).await;
    let (mut player, seat) = join_a_new_match(&daemon, fleet, "ada").await;
    assert_eq!(player.text().await, format!("welcome {seat}"));
    player.send("hello").await;
    assert_eq!(player.text().await, "hello");
    player.leave().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_rust_project_builds_checks_and_echoes_a_player() {
    let (_dir, project) = new_project("echo-game", "rust").await;
    let component = build_rust(&project, "echo_game").await;
    check_and_play(&project, &component, "echo-game").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_c_project_builds_checks_and_echoes_a_player() {
    let (_dir, project) = new_project("echo-c", "c").await;
    let component = build_c(&project, "echo-c").await;
    check_and_play(&project, &component, "echo-c").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_javascript_project_builds_checks_and_echoes_a_player() {
    let (_dir, project) = new_project("echo-js", "js").await;
    let component = build_js(&project, "echo-js").await;
    assert_types_are_current(&project).await;
    check_and_play(&project, &component, "echo-js").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_python_project_builds_checks_and_echoes_a_player() {
    let (_dir, project) = new_project("echo-py", "python").await;
    assert_stubs_are_current_and_typed(&project).await;
    let component = build_python(&project, "echo-py").await;
    check_and_play(&project, &component, "echo-py").await;
}
