//! A Python project: a module `app` made a component by componentize-py,
//! with the typed modules of the SDK's bindings so that editors and type
//! checkers know the SDK.

use super::File;

/// The SDK's Python bindings as componentize-py generates them from `wit/`
/// (`componentize-py -d wit -w game-server bindings .`): the package
/// `wit_world`, typed functions and classes whose bodies the component's
/// own bindings replace, and the `componentize_py_types` they use. Each
/// file's path in the project and its text.
const STUBS: [(&str, &str); 16] = included!["python/" => "":
    "componentize_py_types.py",
    "wit_world/__init__.py",
    "wit_world/exports/__init__.py",
    "wit_world/exports/callbacks.py",
    "wit_world/imports/__init__.py",
    "wit_world/imports/configuration.py",
    "wit_world/imports/counters.py",
    "wit_world/imports/gateway.py",
    "wit_world/imports/lifecycle.py",
    "wit_world/imports/lists.py",
    "wit_world/imports/logging.py",
    "wit_world/imports/metadata.py",
    "wit_world/imports/players.py",
    "wit_world/imports/process.py",
    "wit_world/imports/sessions.py",
    "wit_world/imports/types.py",
];

/// The files of a Python project named `name`.
pub(super) fn files(name: &str) -> Vec<File> {
    let mut files = vec![
        File::filled(
            "app.py",
            include_str!("../../../templates/python/app.py"),
            name,
        ),
        File::filled(
            "template.json",
            include_str!("../../../templates/python/template.json"),
            name,
        ),
        File::filled(
            "gamehost.toml",
            include_str!("../../../templates/python/gamehost.toml"),
            name,
        ),
        File::filled(
            "README.md",
            include_str!("../../../templates/python/README.md"),
            name,
        ),
        File::verbatim(
            ".gitignore",
            include_bytes!("../../../templates/python/gitignore"),
        ),
    ];
    files.extend(
        STUBS
            .iter()
            .map(|(path, text)| File::verbatim(path, text.as_bytes())),
    );
    files
}
