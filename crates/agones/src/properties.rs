//! A match's game properties, from the annotations an allocation put on the
//! GameServer (`metadata.annotations` of a GameServerAllocation).
//!
//! `gamehost.dev/properties.ID` holds the properties of the match with id
//! `ID` (the value the allocation added to the list); an allocation without
//! an id uses `gamehost.dev/properties`. Either holds a JSON object of
//! strings, as `{"map": "garden", "mode": "ranked"}`.

use gamehost_model::GameProperty;
use std::collections::BTreeMap;

/// The annotation of the properties for allocations without an id, and
/// the prefix of those for one match.
pub const PROPERTIES_ANNOTATION: &str = "gamehost.dev/properties";

/// The game properties of match `id`: those of its own annotation, else
/// those for any match, else none. An annotation that is not a JSON object
/// of strings is an error naming it.
pub fn game_properties(
    annotations: &BTreeMap<String, String>,
    id: &str,
) -> Result<Vec<GameProperty>, String> {
    let own = format!("{PROPERTIES_ANNOTATION}.{id}");
    let Some((key, text)) = annotations
        .get_key_value(&own)
        .or_else(|| annotations.get_key_value(PROPERTIES_ANNOTATION))
    else {
        return Ok(Vec::new());
    };
    let object: BTreeMap<String, String> = serde_json::from_str(text)
        .map_err(|e| format!("the annotation {key} is not a JSON object of strings: {e}"))?;
    Ok(object
        .into_iter()
        .map(|(key, value)| GameProperty { key, value })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_matchs_own_annotation_comes_first_then_the_shared_one() {
        let annotations: BTreeMap<String, String> = [
            ("gamehost.dev/properties.m-1", r#"{"map":"garden"}"#),
            (
                "gamehost.dev/properties",
                r#"{"map":"any","mode":"casual"}"#,
            ),
            ("agones.dev/last-allocated", "2026-12-06T12:00:00Z"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        // (match id, properties)
        let cases: [(&str, &[(&str, &str)]); 2] = [
            ("m-1", &[("map", "garden")]),
            ("m-2", &[("map", "any"), ("mode", "casual")]),
        ];
        for (id, expected) in cases {
            let found = game_properties(&annotations, id).unwrap();
            let found: Vec<(&str, &str)> = found
                .iter()
                .map(|p| (p.key.as_str(), p.value.as_str()))
                .collect();
            assert_eq!(found, expected, "{id}");
        }
        assert!(game_properties(&BTreeMap::new(), "m-1").unwrap().is_empty());
    }

    #[test]
    fn an_annotation_that_is_not_an_object_of_strings_is_named() {
        for text in ["[1]", "{\"a\": 1}", "not json"] {
            let annotations = BTreeMap::from([(PROPERTIES_ANNOTATION.to_owned(), text.to_owned())]);
            let error = game_properties(&annotations, "m-1").unwrap_err();
            assert!(error.contains("gamehost.dev/properties"), "{error}");
        }
    }
}
