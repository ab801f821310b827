//! `json_schema` gives the emitted schema, with named types moved into the
//! generator's definitions wherever its settings put them.

use std::borrow::Cow;

use evcat_runtime::{json_schema, subschema};
use schemars::{generate::SchemaSettings, JsonSchema, SchemaGenerator};
use serde_json::json;

struct Money;
struct Category;
struct Order;

impl JsonSchema for Money {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("Money")
    }
    fn json_schema(generator: &mut SchemaGenerator) -> schemars::Schema {
        json_schema(
            generator,
            r#"{"type":"object","required":["cents"],"properties":{"cents":{"type":"integer","minimum":0}}}"#,
            &[],
        )
    }
}

/// Refers to itself, as a product tree's node does.
impl JsonSchema for Category {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("Category")
    }
    fn json_schema(generator: &mut SchemaGenerator) -> schemars::Schema {
        json_schema(
            generator,
            r##"{"type":"object","properties":{"children":{"type":"array","items":{"$ref":"#/definitions/Category"}}}}"##,
            &[("Category", subschema::<Category>)],
        )
    }
}

impl JsonSchema for Order {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("Order")
    }
    fn json_schema(generator: &mut SchemaGenerator) -> schemars::Schema {
        json_schema(
            generator,
            r##"{"type":"object","required":["total"],"properties":{"total":{"$ref":"#/definitions/Money","description":"What the customer pays."},"category":{"anyOf":[{"$ref":"#/$defs/Category"},{"type":"null"}]},"pattern":{"type":"string","pattern":"^[A-Z]{3}$"}}}"##,
            &[
                ("Money", subschema::<Money>),
                ("Category", subschema::<Category>),
            ],
        )
    }
}

#[test]
fn named_types_become_the_generators_definitions() {
    let schema = schemars::schema_for!(Order).to_value();
    assert_eq!(
        schema["properties"]["total"],
        json!({ "$ref": "#/$defs/Money", "description": "What the customer pays." })
    );
    assert_eq!(
        schema["properties"]["category"]["anyOf"][0],
        json!({ "$ref": "#/$defs/Category" })
    );
    assert_eq!(schema["properties"]["pattern"]["pattern"], "^[A-Z]{3}$");
    assert_eq!(
        schema["$defs"]["Money"]["properties"]["cents"]["minimum"],
        0
    );
    assert_eq!(
        schema["$defs"]["Category"]["properties"]["children"]["items"],
        json!({ "$ref": "#/$defs/Category" })
    );
}

#[test]
fn the_generators_settings_decide_where_definitions_go() {
    let generator = SchemaSettings::draft07().into_generator();
    let schema = generator.into_root_schema_for::<Order>().to_value();
    // Draft 7 ignores keywords beside `$ref`; schemars moves it into `allOf`.
    assert_eq!(
        schema["properties"]["total"]["allOf"][0]["$ref"],
        "#/definitions/Money"
    );
    assert!(schema["definitions"]["Category"].is_object());
}
