//! Loading game modes: `GameEngine::load` accepts every guest component and
//! refuses anything else with the `LoadError` variant for the problem and a
//! message that names it (the sizes, the import, the export).

use gamehost_runtime::engine::{LoadError, MAX_MODULE_BYTES, callbacks_export};
use gamehost_tests::engine;

/// The error `load` returns for `bytes`.
fn refusal(bytes: &[u8]) -> LoadError {
    match engine().load(bytes) {
        Ok(mode) => panic!(
            "loaded a {} byte module that should be refused",
            mode.size()
        ),
        Err(error) => error,
    }
}

/// A component written in the component text format.
fn component(text: &str) -> Vec<u8> {
    wat::parse_str(text).expect("a valid component text")
}

/// A component whose only content is an empty instance exported as the
/// callbacks: the right export name with none of the functions.
fn hollow_callbacks(imports: &str) -> Vec<u8> {
    component(&format!(
        r#"(component
            {imports}
            (instance $callbacks)
            (export "{}" (instance $callbacks)))"#,
        callbacks_export()
    ))
}

#[test]
fn every_guest_component_loads() {
    for (name, path) in gamehost_guests::ALL {
        let bytes = gamehost_guests::read(path);
        let mode = engine()
            .load(&bytes)
            .unwrap_or_else(|e| panic!("{name} does not load: {e}"));
        assert_eq!(mode.size(), bytes.len(), "{name}");
        assert_eq!(mode.digest().len(), 64, "{name}: a sha256 in hex");
    }
}

/// A refusal case: what the bytes are, the bytes, whether the error is the
/// expected one, and what its message must mention.
type Case = (&'static str, Vec<u8>, fn(&LoadError) -> bool, Vec<String>);

#[test]
fn what_is_not_a_game_mode_is_refused_with_a_reason() {
    let arena = gamehost_guests::read(gamehost_guests::ARENA);
    let too_large = MAX_MODULE_BYTES + 1;
    let cases: Vec<Case> = vec![
        (
            "a zip file",
            b"PK\x03\x04 not wasm".to_vec(),
            |e| matches!(e, LoadError::NotWasm),
            vec!["\\0asm".into()],
        ),
        (
            "nothing",
            Vec::new(),
            |e| matches!(e, LoadError::NotWasm),
            vec!["not a WebAssembly binary".into()],
        ),
        (
            "a core module",
            b"\0asm\x01\0\0\0".to_vec(),
            |e| matches!(e, LoadError::CoreModule),
            vec!["core WebAssembly module".into(), "wasm32-wasip2".into()],
        ),
        (
            "a component over the size limit",
            vec![0; too_large],
            |e| {
                matches!(e, LoadError::TooLarge { size, limit }
                    if *size == MAX_MODULE_BYTES + 1 && *limit == MAX_MODULE_BYTES)
            },
            vec![too_large.to_string(), MAX_MODULE_BYTES.to_string()],
        ),
        (
            "a component header followed by garbage",
            b"\0asm\x0d\0\x01\0 garbage".to_vec(),
            |e| matches!(e, LoadError::Invalid(_)),
            vec!["invalid component: failed to parse".into()],
        ),
        (
            "a truncated guest",
            arena[..arena.len() / 2].to_vec(),
            |e| matches!(e, LoadError::Invalid(_)),
            vec!["invalid component: failed to parse".into()],
        ),
        (
            "a component importing an interface the host lacks",
            component(r#"(component (import "wasi:http/types@0.2.0" (instance)))"#),
            |e| matches!(e, LoadError::UnknownImport(name) if name == "wasi:http/types@0.2.0"),
            vec!["`wasi:http/types@0.2.0`".into()],
        ),
        (
            "a component without the callbacks",
            component("(component)"),
            |e| matches!(e, LoadError::MissingExport(name) if *name == callbacks_export()),
            vec![format!("`{}`", callbacks_export())],
        ),
        (
            "a component importing an SDK function with the wrong type",
            hollow_callbacks(
                r#"(import "gamehost:sdk/lifecycle@0.1.0" (instance (export "ready" (func))))"#,
            ),
            |e| matches!(e, LoadError::ImportMismatch(_)),
            vec!["gamehost:sdk/lifecycle@0.1.0".into(), "ready".into()],
        ),
        (
            "a component exporting callbacks without their functions",
            hollow_callbacks(""),
            |e| matches!(e, LoadError::ExportMismatch(_)),
            vec!["on-process-start".into()],
        ),
    ];
    for (name, bytes, is_expected, mentions) in cases {
        let error = refusal(&bytes);
        assert!(is_expected(&error), "{name}: got {error:?}");
        let message = error.to_string();
        for part in mentions {
            assert!(
                message.contains(&part),
                "{name}: {message:?} lacks {part:?}"
            );
        }
    }
}
