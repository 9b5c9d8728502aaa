//! The control-plane API as Markdown, from its OpenAPI document: one
//! section per tag with each operation's method, path, summary,
//! parameters, request body and answers, then every schema with its fields.

use super::{cell, prose};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The methods an OpenAPI path item may hold, in the order they are listed.
const METHODS: [&str; 8] = [
    "get", "post", "put", "patch", "delete", "head", "options", "trace",
];

/// The reference page of the OpenAPI 3 `document` (as JSON).
pub fn api_markdown(document: &Value) -> String {
    let mut page = String::new();
    let title = document["info"]["title"].as_str().unwrap_or("API");
    let _ = writeln!(page, "# {title}: API reference\n");
    page.push_str(
        "<!-- Generated from the OpenAPI document (`gamehost::api::openapi`); do not edit.\n     \
         Regenerate: cargo test -p gamehost --lib reference -- --ignored regenerate -->\n\n",
    );
    if let Some(description) = document["info"]["description"].as_str() {
        let _ = writeln!(page, "{description}\n");
    }
    page.push_str(
        "This page is generated from the OpenAPI document the daemon serves at \
         `GET /openapi.json`, the same declarations the routes are built from. \
         Field names are camelCase. Every error answer has the body \
         [ErrorBody](#errorbody). Operations need a bearer token \
         (`Authorization: Bearer …`) when the host has one, but for `/healthz`; \
         see [Security](../operating/security.md) for the scopes.\n\n",
    );

    let mut by_tag: BTreeMap<String, Vec<(&str, &str, &Value)>> = BTreeMap::new();
    if let Some(paths) = document["paths"].as_object() {
        for (path, item) in paths {
            for method in METHODS {
                if let Some(operation) = item.get(method) {
                    let tag = operation["tags"][0].as_str().unwrap_or("other").to_owned();
                    by_tag
                        .entry(tag)
                        .or_default()
                        .push((method, path, operation));
                }
            }
        }
    }
    page.push_str("## Operations\n\n");
    for (tag, operations) in &by_tag {
        let _ = writeln!(page, "- {}", capitalized(tag));
        for (method, path, operation) in operations {
            let summary = operation["summary"].as_str().unwrap_or("");
            let _ = writeln!(
                page,
                "  - [`{} {path}`](#{}): {}",
                method.to_uppercase(),
                heading_id(&format!("{} {path}", method.to_uppercase())),
                cell(summary)
            );
        }
    }
    page.push('\n');
    for (tag, operations) in &by_tag {
        let _ = writeln!(page, "## {}\n", capitalized(tag));
        for (method, path, operation) in operations {
            write_operation(&mut page, method, path, operation);
        }
    }

    page.push_str("## Schemas\n\n");
    if let Some(schemas) = document["components"]["schemas"].as_object() {
        for (name, schema) in schemas {
            write_schema(&mut page, name, schema);
        }
    }
    page.truncate(page.trim_end().len());
    page.push('\n');
    page
}

/// One operation: its heading, summary and description, parameters, body
/// and answers.
fn write_operation(page: &mut String, method: &str, path: &str, operation: &Value) {
    let _ = writeln!(page, "### `{} {path}`\n", method.to_uppercase());
    for key in ["summary", "description"] {
        if let Some(text) = operation[key].as_str().filter(|t| !t.is_empty()) {
            let _ = writeln!(page, "{}\n", prose(text));
        }
    }
    if let Some(parameters) = operation["parameters"].as_array().filter(|p| !p.is_empty()) {
        page.push_str(
            "| parameter | in | type | required | description |\n|---|---|---|---|---|\n",
        );
        for parameter in parameters {
            let _ = writeln!(
                page,
                "| `{}` | {} | {} | {} | {} |",
                parameter["name"].as_str().unwrap_or(""),
                parameter["in"].as_str().unwrap_or(""),
                type_of(&parameter["schema"]),
                yes_no(parameter["required"].as_bool().unwrap_or(false)),
                cell(parameter["description"].as_str().unwrap_or(""))
            );
        }
        page.push('\n');
    }
    if let Some(content) = operation["requestBody"]["content"].as_object() {
        for (media, body) in content {
            let required = operation["requestBody"]["required"].as_bool() == Some(true);
            let _ = writeln!(
                page,
                "Request body (`{media}`{}): {}\n",
                if required { ", required" } else { "" },
                type_of(&body["schema"])
            );
        }
    }
    if let Some(responses) = operation["responses"].as_object() {
        page.push_str("| answer | description | body |\n|---|---|---|\n");
        for (status, response) in responses {
            let body = response["content"]
                .as_object()
                .map(|content| {
                    content
                        .iter()
                        .map(|(media, c)| match c.get("schema") {
                            Some(schema) => format!("{} (`{media}`)", type_of(schema)),
                            None => format!("`{media}`"),
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            let _ = writeln!(
                page,
                "| {status} | {} | {body} |",
                cell(response["description"].as_str().unwrap_or(""))
            );
        }
        page.push('\n');
    }
}

/// One schema: its description, then its fields, values or type.
fn write_schema(page: &mut String, name: &str, schema: &Value) {
    let _ = writeln!(page, "### {name}\n");
    if let Some(description) = schema["description"].as_str() {
        let _ = writeln!(page, "{}\n", prose(description));
    }
    if let Some(properties) = schema["properties"].as_object() {
        let required: Vec<&str> = schema["required"]
            .as_array()
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        page.push_str("| field | type | required | description |\n|---|---|---|---|\n");
        for (field, property) in properties {
            let _ = writeln!(
                page,
                "| `{field}` | {} | {} | {} |",
                type_of(property),
                yes_no(required.contains(&field.as_str())),
                cell(&field_description(property))
            );
        }
        page.push('\n');
        if schema["additionalProperties"] == Value::Bool(false) {
            page.push_str("Other fields are refused.\n\n");
        }
    } else if let Some(values) = schema["enum"].as_array() {
        let values: Vec<String> = values.iter().map(|v| format!("`{}`", literal(v))).collect();
        let _ = writeln!(page, "One of {}.\n", values.join(", "));
    } else {
        let _ = writeln!(page, "Type: {}.\n", type_of(schema));
    }
}

/// A field's description with its default, if it has one.
fn field_description(property: &Value) -> String {
    let description = property["description"]
        .as_str()
        .or_else(|| {
            property["oneOf"]
                .as_array()
                .and_then(|v| v.iter().find_map(|s| s["description"].as_str()))
        })
        .unwrap_or("");
    match property.get("default") {
        Some(default) => format!("{description} Default: `{}`.", literal(default)),
        None => description.to_owned(),
    }
}

/// The type a schema names, in words, with links to named schemas.
fn type_of(schema: &Value) -> String {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        return format!("[{name}](#{})", heading_id(name));
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(options) = schema[key].as_array() {
            let named: Vec<String> = options
                .iter()
                .filter(|o| o["type"] != "null")
                .map(type_of)
                .collect();
            return named.join(" or ");
        }
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .collect(),
        _ => Vec::new(),
    };
    let words: Vec<String> = types
        .iter()
        .map(|t| match *t {
            "array" => format!("array of {}", type_of(&schema["items"])),
            "object" => match schema.get("additionalProperties") {
                Some(values @ Value::Object(_)) => format!("map of {}", type_of(values)),
                _ => "object".to_owned(),
            },
            "string" if schema["enum"].is_array() => {
                let values: Vec<String> = schema["enum"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|v| format!("`{}`", literal(v)))
                    .collect();
                format!("string: {}", values.join(", "))
            }
            other => match schema["format"].as_str() {
                Some(format) => format!("{other} ({format})"),
                None => other.to_owned(),
            },
        })
        .collect();
    if words.is_empty() {
        "any".to_owned()
    } else {
        words.join(" or ")
    }
}

/// A JSON value as it is written in the document, strings unquoted.
fn literal(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn yes_no(yes: bool) -> &'static str {
    if yes { "yes" } else { "no" }
}

fn capitalized(tag: &str) -> String {
    let mut chars = tag.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The id mdBook gives a heading of plain `text`: lowercase, spaces as
/// dashes, other punctuation dropped.
fn heading_id(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '_' || c == '-' => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn types_name_their_schemas_and_drop_null() {
        assert_eq!(
            type_of(&json!({"$ref": "#/components/schemas/Fleet"})),
            "[Fleet](#fleet)"
        );
        assert_eq!(type_of(&json!({"type": ["string", "null"]})), "string");
        assert_eq!(
            type_of(&json!({"type": "array", "items": {"type": "integer", "format": "int32"}})),
            "array of integer (int32)"
        );
        assert_eq!(
            type_of(&json!({"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/A"}]})),
            "[A](#a)"
        );
        assert_eq!(
            type_of(&json!({"type": "object", "additionalProperties": {"type": "string"}})),
            "map of string"
        );
    }

    #[test]
    fn an_operation_lists_its_parameters_body_and_answers() {
        let document = json!({
            "info": {"title": "T"},
            "paths": {"/v1/things/{id}": {"patch": {
                "tags": ["things"],
                "summary": "Changes a thing.",
                "parameters": [{"name": "id", "in": "path", "required": true,
                                "schema": {"type": "string"}, "description": "Its id."}],
                "requestBody": {"required": true, "content": {"application/json":
                    {"schema": {"$ref": "#/components/schemas/Change"}}}},
                "responses": {"200": {"description": "The thing",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}
            }}},
            "components": {"schemas": {"Change": {"type": "object", "required": ["name"],
                "additionalProperties": false,
                "properties": {"name": {"type": "string", "description": "A | name."}}}}}
        });
        let page = api_markdown(&document);
        assert!(page.contains("### `PATCH /v1/things/{id}`\n\nChanges a thing."));
        assert!(page.contains("[`PATCH /v1/things/{id}`](#patch-v1thingsid)"));
        assert!(page.contains("| `id` | path | string | yes | Its id. |"));
        assert!(page.contains("Request body (`application/json`, required): [Change](#change)"));
        assert!(page.contains("| 200 | The thing | [Thing](#thing) (`application/json`) |"));
        assert!(
            page.contains("| `name` | string | yes | A \\| name. |\n\nOther fields are refused.")
        );
    }
}
