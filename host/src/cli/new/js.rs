//! A JavaScript project: an ES module made a component by componentize-js
//! (through its API, in `build.mjs`), with the SDK's TypeScript
//! declarations so that editors and `tsc` check the game mode.

use super::File;
use anyhow::Context;
use serde_json::{Value, json};

/// The lockfile of the repository's JavaScript guests, which
/// `./scripts/setup` installs from: a project locks the same versions, so
/// its `npm install` finds every package in the cache that install filled.
const LOCK: &str = include_str!("../../../../guest-examples/js/package-lock.json");

/// The SDK's TypeScript declarations, generated from `wit/` by jco's
/// guest types (world `game-server`): each file's path in the project and
/// its text.
const TYPES: [(&str, &str); 13] = included!["js/types/" => "types/":
    "game-server.d.ts",
    "interfaces/gamehost-sdk-callbacks.d.ts",
    "interfaces/gamehost-sdk-configuration.d.ts",
    "interfaces/gamehost-sdk-counters.d.ts",
    "interfaces/gamehost-sdk-gateway.d.ts",
    "interfaces/gamehost-sdk-lifecycle.d.ts",
    "interfaces/gamehost-sdk-lists.d.ts",
    "interfaces/gamehost-sdk-logging.d.ts",
    "interfaces/gamehost-sdk-metadata.d.ts",
    "interfaces/gamehost-sdk-players.d.ts",
    "interfaces/gamehost-sdk-process.d.ts",
    "interfaces/gamehost-sdk-sessions.d.ts",
    "interfaces/gamehost-sdk-types.d.ts",
];

/// The files of a JavaScript project named `name`.
pub(super) fn files(name: &str) -> anyhow::Result<Vec<File>> {
    let (package, lock) = package(name)?;
    let mut files = vec![
        File::filled("package.json", &package, name),
        File::verbatim("package-lock.json", lock.as_bytes()),
        File::filled(
            "build.mjs",
            include_str!("../../../templates/js/build.mjs"),
            name,
        ),
        File::filled(
            "src/game.js",
            include_str!("../../../templates/js/src/game.js"),
            name,
        ),
        File::verbatim(
            "jsconfig.json",
            include_bytes!("../../../templates/js/jsconfig.json"),
        ),
        File::filled(
            "template.json",
            include_str!("../../../templates/js/template.json"),
            name,
        ),
        File::filled(
            "gamehost.toml",
            include_str!("../../../templates/js/gamehost.toml"),
            name,
        ),
        File::filled(
            "README.md",
            include_str!("../../../templates/js/README.md"),
            name,
        ),
        File::verbatim(
            ".gitignore",
            include_bytes!("../../../templates/js/gitignore"),
        ),
    ];
    files.extend(
        TYPES
            .iter()
            .map(|(path, text)| File::verbatim(path, text.as_bytes())),
    );
    Ok(files)
}

/// The project's `package.json` and `package-lock.json`: the repository's
/// JavaScript guests' dependencies at their locked versions, and
/// TypeScript (which jco, a dependency of componentize-js, already brings)
/// at its locked version to check the game mode.
fn package(name: &str) -> anyhow::Result<(String, String)> {
    let mut lock: Value = serde_json::from_str(LOCK).context("the built-in npm lockfile")?;
    let text = |value: &Value, what: &str| {
        value
            .as_str()
            .map(str::to_owned)
            .with_context(|| format!("the built-in npm lockfile locks no {what}"))
    };
    let dependencies = &lock["packages"][""]["dependencies"];
    let componentize = text(
        &dependencies["@bytecodealliance/componentize-js"],
        "componentize-js",
    )?;
    let shim = text(
        &dependencies["@bytecodealliance/preview2-shim"],
        "preview2-shim",
    )?;
    let typescript = text(
        &lock["packages"]["node_modules/typescript"]["version"],
        "typescript",
    )?;
    let package = include_str!("../../../templates/js/package.json")
        .replace("{{componentize-js}}", &componentize)
        .replace("{{preview2-shim}}", &shim)
        .replace("{{typescript}}", &typescript);
    lock["name"] = json!(name);
    let root = &mut lock["packages"][""];
    root["name"] = json!(name);
    root["devDependencies"] = json!({ "typescript": typescript });
    let lock = serde_json::to_string_pretty(&lock).context("writing the npm lockfile")? + "\n";
    Ok((package, lock))
}
