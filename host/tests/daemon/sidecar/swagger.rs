//! Agones' REST SDK swagger documents (`tests/agones/`), as JSON Schema
//! validators of the answers.
//!
//! Agones' gateway writes every field, zero or not, and only the fields the
//! proto declares; so each definition is checked strictly: every property
//! it declares is required and no other is allowed. Schemas written inline
//! in a path (the stream wrapper `{"result": …}`) are kept as they are.

use jsonschema::Validator;
use serde_json::{Map, Value, json};
use std::path::PathBuf;

/// The definitions and paths of `sdk`, `alpha` and `beta`.
pub(super) struct Swagger {
    definitions: Map<String, Value>,
    paths: Vec<(String, Value)>,
}

impl Swagger {
    /// Reads the three documents.
    pub(super) fn load() -> Self {
        let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/agones");
        let mut definitions = Map::new();
        let mut paths = Vec::new();
        for name in ["sdk", "alpha", "beta"] {
            let file = folder.join(format!("{name}.swagger.json"));
            let text = std::fs::read_to_string(&file)
                .unwrap_or_else(|e| panic!("reading {}: {e}", file.display()));
            let document: Value = serde_json::from_str(&text).expect("a swagger document");
            for (key, definition) in document["definitions"].as_object().expect("definitions") {
                definitions.insert(key.clone(), strict(definition.clone()));
            }
            for (path, item) in document["paths"].as_object().expect("paths") {
                paths.push((path.clone(), item.clone()));
            }
        }
        Self { definitions, paths }
    }

    /// The validator of the answer with `status` to `method` on the swagger
    /// path `path` (as the document spells it, `{name}` and all).
    pub(super) fn answer(&self, method: &str, path: &str, status: &str) -> Validator {
        let item = self
            .paths
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, item)| item)
            .unwrap_or_else(|| panic!("no swagger path {path}"));
        let schema = &item[method]["responses"][status]["schema"];
        assert!(!schema.is_null(), "no {status} answer for {method} {path}");
        self.validator(schema.clone())
    }

    /// The validator of an error answer, `googlerpcStatus`.
    pub(super) fn error(&self) -> Validator {
        self.validator(json!({"$ref": "#/definitions/googlerpcStatus"}))
    }

    fn validator(&self, schema: Value) -> Validator {
        let root = json!({"definitions": self.definitions, "allOf": [schema]});
        jsonschema::draft4::new(&root).expect("a valid schema")
    }
}

/// Every declared property required, no other allowed, at every level of a
/// definition. `protobufAny` keeps its open shape.
fn strict(mut schema: Value) -> Value {
    if let Some(object) = schema.as_object_mut() {
        if let Some(properties) = object.get_mut("properties").and_then(Value::as_object_mut) {
            for property in properties.values_mut() {
                *property = strict(property.take());
            }
            let names: Vec<Value> = properties.keys().map(|k| json!(k)).collect();
            if !object.contains_key("additionalProperties") {
                object.insert("required".into(), Value::Array(names));
                object.insert("additionalProperties".into(), json!(false));
            }
        }
        for key in ["items", "additionalProperties"] {
            if let Some(inner) = object.get_mut(key).filter(|v| v.is_object()) {
                *inner = strict(inner.take());
            }
        }
    }
    schema
}

/// Asserts that `value` is valid under `validator`, listing every error.
pub(super) fn assert_valid(validator: &Validator, value: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}\nin {value:#}");
}

#[test]
fn the_strict_schemas_refuse_what_agones_would_not_send() {
    let swagger = Swagger::load();
    let counter = swagger.answer("get", "/v1beta1/counters/{name}", "200");
    let cases = [
        (
            json!({"name": "rooms", "count": "1", "capacity": "10"}),
            true,
        ),
        (
            json!({"name": "rooms", "count": 1, "capacity": "10"}),
            false,
        ),
        (json!({"name": "rooms", "count": "1"}), false),
        (
            json!({"name": "rooms", "count": "1", "capacity": "10", "countDiff": "0"}),
            false,
        ),
    ];
    for (answer, valid) in cases {
        assert_eq!(counter.is_valid(&answer), valid, "{answer}");
    }
    let error = swagger.error();
    assert!(error.is_valid(&json!({"code": 5, "message": "no", "details": []})));
    assert!(!error.is_valid(&json!({"error": "no"})));
}
