//! One property's schema: its type, value set and constraints.

use jsonc_parser::ast::{Object, Value};
use jsonc_parser::common::Ranged;

use super::{
    closed, doc_of, string_keyword, PropertyType, SchemaReader, MAX_DEPTH, UNSUPPORTED_KEYWORDS,
};
use crate::diagnostics::Rule;
use crate::ident;
use crate::ir::{FieldType, MemberPath, Rules, Scalar, Span, StructId, StructType};
use crate::vocabulary::is_whole;

/// The keywords of a property schema that evcat reads: its rules, and
/// annotations that change no verdict. An object's `properties`,
/// `required` and `additionalProperties: false` make it a nested type.
const KNOWN_KEYWORDS: &[&str] = &[
    "type",
    "enum",
    "const",
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "$ref",
    "$id",
    "properties",
    "required",
    "additionalProperties",
    "description",
    "title",
    "examples",
    "default",
    "$comment",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// The validation keywords of the JSON Schema drafts (Draft-04 to 2020-12)
/// that evcat's outputs do not state yet, composition aside
/// ([`UNSUPPORTED_KEYWORDS`]).
const UNSTATED_VALIDATION_KEYWORDS: &[&str] = &[
    "contains",
    "minContains",
    "maxContains",
    "unevaluatedItems",
    "unevaluatedProperties",
    "propertyNames",
    "dependencies",
    "dependentRequired",
    "dependentSchemas",
    "minProperties",
    "maxProperties",
    "$dynamicRef",
    "$recursiveRef",
];

impl<'a, 's> SchemaReader<'a, 's> {
    /// The type of one property schema; `None` after reporting why not.
    pub(super) fn property_type(
        &mut self,
        path: &[String],
        value: &'a Value<'s>,
        depth: usize,
        payload: Option<&MemberPath>,
        payload_position: &mut Option<usize>,
    ) -> Option<PropertyType> {
        // A schema with its own `$id` is the base of references inside it.
        let keyword = self
            .asts
            .get(self.file)
            .map_or("$id", super::super::documents::id_keyword);
        // A document's root has its base already (its id, read from the
        // folder when relative).
        let is_root = self
            .asts
            .get(self.file)
            .is_some_and(|root| std::ptr::eq(root, value));
        if let (Some(base), Some(object), false) = (&self.base, value.as_object(), is_root) {
            if object.get(keyword).is_some() {
                let inner = super::super::documents::with_id(base, value, keyword);
                let saved = self.base.replace(inner);
                let read = self.property_type_here(path, value, depth, payload, payload_position);
                self.base = saved;
                return read;
            }
        }
        self.property_type_here(path, value, depth, payload, payload_position)
    }

    /// [`Self::property_type`] where the base URI is already the schema's.
    fn property_type_here(
        &mut self,
        path: &[String],
        value: &'a Value<'s>,
        depth: usize,
        payload: Option<&MemberPath>,
        payload_position: &mut Option<usize>,
    ) -> Option<PropertyType> {
        let name = path.last().map(String::as_str).unwrap_or_default();
        if value.as_boolean_lit().is_some_and(|lit| lit.value) {
            return Some(PropertyType::any_value(None));
        }
        let Some(schema) = value.as_object() else {
            self.errors.push(Rule::Schema.error(
                self.span(value),
                format!("the schema of `{name}` must be an object"),
            ));
            return None;
        };
        if let Some(keyword) = UNSUPPORTED_KEYWORDS
            .iter()
            .find(|keyword| schema.get(keyword).is_some())
        {
            self.errors.push(
                Rule::Schema.error(
                    self.span(&schema.get(keyword)?.name),
                    format!("`{keyword}` is not supported in envelope properties"),
                )
                .with_help(
                    "evcat cannot state it in every output: express the rule with `type`, `enum`, `format`, `pattern`, bounds, `oneOf`/`anyOf` or `allOf`",
                ),
            );
            return None;
        }
        let description = string_keyword(schema, "description");
        let address = schema as *const Object<'_> as usize;
        if schema.get("allOf").is_some() && !self.merging.contains(&address) {
            return self.all_of(path, value, depth, description);
        }
        self.reject_unenforced_keywords(schema);
        // From 2019-09 on, keywords beside `$ref` apply too: both schemas,
        // as `allOf` merges them (a `type` the target states already adds
        // nothing). Earlier drafts ignore them.
        if schema.get("$ref").is_some()
            && self.siblings_of_ref_apply()
            && self.ref_siblings_constrain(schema)
            && !self.merging.contains(&address)
        {
            return self.all_of(path, value, depth, description);
        }
        if let Some(reference) = schema.get("$ref") {
            let mut resolved =
                self.reference(path, &reference.value, depth, payload, payload_position)?;
            resolved.description = description.or(resolved.description);
            let examples = self.examples(schema);
            if !examples.is_empty() {
                resolved.examples = examples;
            }
            return Some(resolved);
        }
        for keyword in ["oneOf", "anyOf"] {
            // Alternatives of `required` lists are a rule of an object's
            // members, read with its properties.
            let found = schema.get(keyword).map(|found| &found.value);
            if found.is_some_and(|list| !super::alternatives::is_presence(list)) {
                return self.alternatives(path, schema, keyword, depth, description);
            }
        }
        let mut rules = self.rules(schema);
        let (kinds, nullable) = self.type_keyword(schema)?;
        let values = self.listed_values(schema)?;
        let ty = match (values.as_ref(), kinds.as_slice()) {
            (Some((values, at)), [] | [_])
                if kinds.iter().all(|kind| kind == "string")
                    && values.iter().all(|value| {
                        value.as_string_lit().is_some() || value.as_null_keyword().is_some()
                    }) =>
            {
                self.enum_type(path, values, *at, description.clone())?
            }
            (Some((values, at)), kinds) => {
                let allows_null = schema.get("type").is_none() || nullable;
                self.value_set(
                    path,
                    values,
                    *at,
                    kinds,
                    allows_null,
                    &mut rules,
                    description.clone(),
                )?
            }
            // `"type": "null"`: nothing but `null`.
            (None, []) if nullable => FieldType::Null,
            (None, [kind]) if kind == "object" => self.object_type(
                path,
                schema,
                description.clone(),
                depth,
                payload,
                payload_position,
            )?,
            (None, [kind]) => self.scalar_or_array(path, schema, kind, &rules, depth)?,
            // `{}` (annotations at most): any value.
            (None, []) if !super::composition::constrains(schema) => {
                let mut any = PropertyType::any_value(description);
                any.examples = self.examples(schema);
                return Some(any);
            }
            // No `type`: each keyword applies to the values of its type
            // (`minimum` to numbers, `properties` to objects), and values of
            // every type are valid: a union of them all.
            (None, []) => {
                let every: Vec<String> =
                    ["boolean", "integer", "number", "string", "array", "object"]
                        .into_iter()
                        .map(str::to_owned)
                        .collect();
                let ty = self.type_list(path, schema, &every, &rules, depth)?;
                return Some(PropertyType {
                    ty,
                    nullable: true,
                    rules: Rules::default(),
                    description,
                    examples: self.examples(schema),
                });
            }
            (None, kinds) => {
                let ty = self.type_list(path, schema, kinds, &rules, depth)?;
                return Some(PropertyType {
                    ty,
                    nullable,
                    rules: Rules::default(),
                    description,
                    examples: self.examples(schema),
                });
            }
        };
        // `null` must pass both the `type` and the listed values.
        let type_allows_null = schema.get("type").is_none() || nullable;
        let list_allows_null = values.as_ref().is_none_or(|(values, _)| {
            values
                .iter()
                .any(|element| element.as_null_keyword().is_some())
        });
        let nullable = ty != FieldType::Null && type_allows_null && list_allows_null;
        let examples = self.examples(schema);
        Some(PropertyType {
            ty,
            nullable,
            rules,
            description,
            examples,
        })
    }

    /// Whether the file being read is of a draft whose keywords beside
    /// `$ref` apply (2019-09, 2020-12).
    fn siblings_of_ref_apply(&self) -> bool {
        let schema = self.schema_uri();
        schema.contains("2019-09") || schema.contains("2020-12")
    }

    /// Whether a schema with `$ref` says more beside it than annotations,
    /// `$defs` and a `type` its target states too.
    fn ref_siblings_constrain(&mut self, schema: &'a Object<'s>) -> bool {
        let Some(reference) = schema.get("$ref") else {
            return false;
        };
        let own_type = string_keyword(schema, "type");
        let target_type = self
            .follow(&reference.value, true)
            .and_then(|target| target.node.as_object())
            .and_then(|target| string_keyword(target, "type"));
        schema.properties.iter().any(|property| {
            let name = property.name.as_str();
            match name {
                "$ref" | "$defs" | "definitions" | "$id" | "$schema" | "$anchor" | "$comment"
                | "description" | "title" | "examples" | "default" | "deprecated" | "readOnly"
                | "writeOnly" => false,
                "type" => own_type.is_none() || own_type != target_type,
                _ => true,
            }
        })
    }

    /// Rules evcat's outputs would not state or check (`multipleOf`,
    /// `exclusiveMinimum`, `minItems`, …) are errors: dropping them silently
    /// would make the outputs accept what the envelope refuses. A keyword
    /// no JSON Schema draft defines (`x-…`, a publisher's own, such as
    /// Google's `cloudeventTypes`) changes no verdict: it is an annotation.
    pub(super) fn reject_unenforced_keywords(&mut self, schema: &Object<'_>) {
        for property in &schema.properties {
            let keyword = property.name.as_str();
            if !UNSTATED_VALIDATION_KEYWORDS.contains(&keyword) {
                continue;
            }
            self.errors.push(
                Rule::Schema
                    .error(
                        self.span(&property.name),
                        format!("`{keyword}` is not a keyword evcat states in its outputs"),
                    )
                    .with_help(format!(
                        "evcat reads {}; remove `{keyword}` or express the rule with those",
                        KNOWN_KEYWORDS.join(", ")
                    )),
            );
        }
    }

    /// Rules on an array's items or a map's values (a `pattern`, a
    /// `format`, bounds) that the outputs would not state there: an error.
    /// An item that may be `null` is a union with a `Null` branch.
    fn refuse_item_rules(
        &mut self,
        path: &[String],
        schema: &Value<'_>,
        item: &mut PropertyType,
        what: &str,
    ) -> Option<()> {
        // A non-empty string is the `id` type, which every output states.
        let non_empty = Rules {
            min_length: Some(1),
            ..Rules::default()
        };
        if item.ty == FieldType::Scalar(Scalar::String) && item.rules == non_empty {
            item.ty = FieldType::Scalar(Scalar::Id);
            item.rules = Rules::default();
        }
        if item.rules == Rules::default() && item.nullable {
            item.ty = self.with_null_branch(path, item.ty.clone(), self.span(schema));
            item.nullable = false;
        }
        if item.rules == Rules::default() {
            return Some(());
        }
        self.errors.push(
            Rule::Schema
                .error(
                    self.span(schema),
                    format!(
                    "rules on {what} (`pattern`, `format`, lengths, bounds) are not supported yet"
                ),
                )
                .with_help("give the items a type alone, or state the rule where evcat reads it"),
        );
        None
    }

    /// The types `type` names, `null` apart: `"string"`, or a list
    /// (`["string", "null"]`, `["string", "integer"]`); empty when the
    /// schema has no `type`.
    pub(super) fn type_keyword(&mut self, schema: &Object<'_>) -> Option<(Vec<String>, bool)> {
        let Some(kind) = schema.get("type") else {
            return Some((Vec::new(), false));
        };
        let listed: Vec<&Value<'_>> = match &kind.value {
            Value::Array(array) => array.elements.iter().collect(),
            single => vec![single],
        };
        let mut names = Vec::new();
        for element in &listed {
            match element.as_string_lit() {
                Some(lit) if !names.contains(&lit.value.to_string()) => {
                    names.push(lit.value.to_string())
                }
                Some(_) => {}
                None => {
                    self.errors.push(Rule::Schema.error(
                        self.span(*element),
                        "`type` must name JSON types as strings",
                    ));
                    return None;
                }
            }
        }
        let nullable = names.iter().any(|name| name == "null");
        names.retain(|name| name != "null");
        if listed.is_empty() {
            self.errors.push(Rule::Schema.error(
                self.span(&kind.value),
                "`type` must name at least one JSON type",
            ));
            return None;
        }
        Some((names, nullable))
    }

    /// A free-form object, or one with `properties`: a nested envelope
    /// type (`EnvelopeContext`) with a field per property.
    pub(super) fn object_type(
        &mut self,
        path: &[String],
        schema: &'a Object<'s>,
        description: Option<String>,
        depth: usize,
        payload: Option<&MemberPath>,
        payload_position: &mut Option<usize>,
    ) -> Option<FieldType> {
        if let Some(additional) = schema.get("additionalProperties") {
            if additional.value.as_boolean_lit().is_none() {
                // A map: any keys, each value of one type.
                if let Some(properties) = schema.get("properties") {
                    self.errors.push(
                        Rule::Schema.error(
                            self.span(&properties.name),
                            "an object with both `properties` and an `additionalProperties` schema is not supported yet",
                        )
                        .with_help("declare the members under `properties` (with `additionalProperties: false` or `true`), or make it a map of one value type"),
                    );
                    return None;
                }
                let mut value =
                    self.property_type(path, &additional.value, depth + 1, None, &mut None)?;
                self.refuse_item_rules(path, &additional.value, &mut value, "a map's values")?;
                return Some(FieldType::Map(Box::new(value.ty)));
            }
        }
        let properties = match schema.get("properties") {
            Some(properties) => match properties.value.as_object() {
                Some(properties) => properties,
                None => {
                    self.errors.push(Rule::Schema.error(
                        self.span(&properties.value),
                        "`properties` must be an object of property schemas",
                    ));
                    return None;
                }
            },
            // A free-form object: any members, unless it is closed or
            // requires some (which then are undeclared: an error).
            None if !closed(schema)
                && schema.get("required").is_none()
                && schema.get("anyOf").is_none()
                && schema.get("oneOf").is_none() =>
            {
                return Some(FieldType::Object)
            }
            None => &super::EMPTY_OBJECT,
        };
        if depth + path.len() > MAX_DEPTH {
            self.errors.push(Rule::Schema.error(
                self.span(schema),
                format!("envelope objects nest deeper than {MAX_DEPTH} levels here (a cycle?)"),
            ));
            return None;
        }
        self.reject_duplicate_keys(properties);
        let name = self.type_name(path);
        let presence = self.presence(schema, properties);
        // Reserve the id first: the fields' own objects come after it.
        let id = StructId(self.structs.len());
        self.structs.push(StructType {
            name,
            fields: Vec::new(),
            span: self.span(schema),
            named: false,
            doc: doc_of(description),
            envelope: self.in_envelope,
            closed: closed(schema),
            presence,
        });
        let address = schema as *const Object<'_> as usize;
        self.building.push((address, id));
        let fields = self.object_fields(schema, properties, path, payload, payload_position);
        self.building.pop();
        self.structs[id.0].fields = fields;
        Some(FieldType::Struct(id))
    }

    pub(super) fn scalar_or_array(
        &mut self,
        path: &[String],
        schema: &'a Object<'s>,
        kind: &str,
        rules: &Rules,
        depth: usize,
    ) -> Option<FieldType> {
        let scalar = match kind {
            // A `date-time` stays a string with the format as a rule: the
            // `timestamp` type means UTC, which the schema may not ask for.
            "string" => match rules.format.as_deref() {
                Some("uuid") => Scalar::Uuid,
                _ => Scalar::String,
            },
            "integer" => Scalar::Integer,
            "number" => Scalar::Number,
            "boolean" => Scalar::Boolean,
            "array" => {
                if let Some(tuple) = self.tuple(path, schema, rules, depth) {
                    return tuple;
                }
                // Without `items`, any items.
                let Some(items) = schema.get("items") else {
                    return Some(FieldType::Array(Box::new(FieldType::Any)));
                };
                // An array's objects hold no role and no payload.
                let mut item =
                    self.property_type(path, &items.value, depth + 1, None, &mut None)?;
                self.refuse_item_rules(path, &items.value, &mut item, "an array's items")?;
                return Some(FieldType::Array(Box::new(item.ty)));
            }
            other => {
                self.errors.push(
                    Rule::Schema
                        .error(
                            self.span(&schema.get("type")?.value),
                            format!("unknown JSON Schema type `{other}`"),
                        )
                        .with_help("use string, integer, number, boolean, array or object"),
                );
                return None;
            }
        };
        Some(FieldType::Scalar(scalar))
    }

    /// An array of positions (`prefixItems` from 2020-12, an `items` list
    /// before): `Some(None)` after an error, `None` when the array has no
    /// positions. Only a closed array of exactly its positions is a tuple
    /// every output states; a shorter or longer one is an error.
    fn tuple(
        &mut self,
        path: &[String],
        schema: &'a Object<'s>,
        rules: &Rules,
        depth: usize,
    ) -> Option<Option<FieldType>> {
        let modern = self.schema_uri().contains("2020-12");
        let (positions_keyword, rest_keyword) = if modern {
            ("prefixItems", "items")
        } else {
            ("items", "additionalItems")
        };
        let positions = match schema.get(positions_keyword) {
            Some(found) => match found.value.as_array() {
                Some(list) => list,
                None if modern => {
                    self.errors.push(Rule::Schema.error(
                        self.span(&found.value),
                        "`prefixItems` must be a list of schemas",
                    ));
                    return Some(None);
                }
                // Draft-07's `items` as one schema: an array of one type.
                None => return None,
            },
            None => {
                // The other draft's spelling: an error, not a silent no-op.
                let other = if modern {
                    "additionalItems"
                } else {
                    "prefixItems"
                };
                if let Some(found) = schema.get(other) {
                    self.errors.push(
                        Rule::Schema.error(
                            self.span(&found.name),
                            format!("`{other}` is not a keyword of this schema's draft"),
                        )
                        .with_help("2020-12 lists positions in `prefixItems` and closes them with `items: false`; earlier drafts in an `items` list with `additionalItems: false`"),
                    );
                    return Some(None);
                }
                return None;
            }
        };
        let count = positions.elements.len() as u64;
        let closed = schema
            .get(rest_keyword)
            .and_then(|rest| rest.value.as_boolean_lit())
            .is_some_and(|rest| !rest.value);
        let exact = rules.min_items.is_some_and(|min| min >= count);
        if !closed || !exact {
            self.errors.push(
                Rule::Schema.error(
                    self.span(&positions.range),
                    format!("an array of positions is read as a tuple of exactly {count} items, and this one may be shorter or longer"),
                )
                .with_help(format!("state it: `\"{rest_keyword}\": false` and `\"minItems\": {count}`")),
            );
            return Some(None);
        }
        let mut items = Vec::new();
        for (index, position) in positions.elements.iter().enumerate() {
            let mut inner = path.to_vec();
            inner.push(format!("item{}", index + 1));
            let Some(mut item) = self.property_type(&inner, position, depth + 1, None, &mut None)
            else {
                return Some(None);
            };
            if self
                .refuse_item_rules(&inner, position, &mut item, "a tuple's items")
                .is_none()
            {
                return Some(None);
            }
            if !flat(&item.ty) || item.nullable {
                self.errors.push(
                    Rule::Schema.error(
                        self.span(position),
                        "a tuple's items are strings, numbers, booleans, value sets or arrays of them for now",
                    )
                    .with_help("make this position one of those, or the array a list of one item type"),
                );
                return Some(None);
            }
            items.push(item.ty);
        }
        Some(Some(FieldType::Tuple(items)))
    }

    /// The `$schema` of the file being read, or empty.
    fn schema_uri(&self) -> String {
        self.asts
            .get(self.file)
            .and_then(|root| root.as_object())
            .and_then(|root| string_keyword(root, "$schema"))
            .unwrap_or_default()
    }

    /// The values `enum` (or `const`) lists, with where the keyword's value
    /// is; `None` inside when the schema lists none.
    fn listed_values(
        &mut self,
        schema: &'a Object<'s>,
    ) -> Option<Option<(Vec<&'a Value<'s>>, Span)>> {
        match (schema.get("enum"), schema.get("const")) {
            (Some(_), Some(constant)) => {
                self.errors.push(
                    Rule::Schema
                        .error(
                            self.span(&constant.name),
                            "`enum` and `const` together are not supported",
                        )
                        .with_help("list the one value in `enum`, or keep `const` alone"),
                );
                None
            }
            (Some(listed), None) => match listed.value.as_array() {
                Some(array) if !array.elements.is_empty() => Some(Some((
                    array.elements.iter().collect(),
                    self.span(&listed.value),
                ))),
                _ => {
                    self.errors.push(Rule::Schema.error(
                        self.span(&listed.value),
                        "`enum` must be a non-empty array of values",
                    ));
                    None
                }
            },
            (None, Some(constant)) => {
                Some(Some((vec![&constant.value], self.span(&constant.value))))
            }
            (None, None) => Some(None),
        }
    }

    /// The type of an `enum`/`const` that lists more than strings: the
    /// values the `type` allows, held as a rule (`rules.values`) of the
    /// type they share (integers, numbers, booleans) or of any value when
    /// their types differ. Strings alone (with the values of other types
    /// the `type` refuses) are a string enum.
    #[allow(clippy::too_many_arguments)]
    fn value_set(
        &mut self,
        path: &[String],
        elements: &[&'a Value<'s>],
        at: Span,
        kinds: &[String],
        allows_null: bool,
        rules: &mut Rules,
        description: Option<String>,
    ) -> Option<FieldType> {
        let fits = |kind: &str, value: &serde_json::Value| match value {
            serde_json::Value::String(_) => kind == "string",
            serde_json::Value::Bool(_) => kind == "boolean",
            serde_json::Value::Array(_) => kind == "array",
            serde_json::Value::Object(_) => kind == "object",
            serde_json::Value::Number(number) => {
                kind == "number" || (kind == "integer" && is_whole(number))
            }
            serde_json::Value::Null => false,
        };
        let mut kept: Vec<(&'a Value<'s>, serde_json::Value)> = Vec::new();
        for element in elements.iter().copied() {
            let Some(mut value) = self.json_of(element) else {
                self.errors.push(Rule::Schema.error(
                    self.span(element),
                    "this value of `enum`/`const` is not JSON",
                ));
                return None;
            };
            // `2.0` is `2` to JSON Schema, and to every JavaScript reader of
            // the outputs: written as an integer.
            whole_as_integers(&mut value);
            let allowed = match &value {
                serde_json::Value::Null => allows_null,
                value => kinds.is_empty() || kinds.iter().any(|kind| fits(kind, value)),
            };
            if allowed
                && !kept
                    .iter()
                    .any(|(_, known)| crate::vocabulary::same_json(known, &value))
            {
                kept.push((element, value));
            }
        }
        let listed: Vec<serde_json::Value> = kept
            .iter()
            .map(|(_, value)| value.clone())
            .filter(|value| !value.is_null())
            .collect();
        if listed.is_empty() {
            if kept.is_empty() {
                self.errors.push(
                    Rule::Schema
                        .error(
                            at,
                            "no value listed here fits the schema's `type`: nothing is valid",
                        )
                        .with_help("list values of the type, or widen the `type`"),
                );
                return None;
            }
            return Some(FieldType::Null);
        }
        if listed.iter().all(serde_json::Value::is_string) {
            let strings: Vec<&Value<'_>> = kept.iter().map(|(element, _)| *element).collect();
            return self.enum_type(path, &strings, at, description);
        }
        let ty = if listed.iter().all(serde_json::Value::is_boolean) {
            FieldType::Scalar(Scalar::Boolean)
        } else if listed.iter().all(serde_json::Value::is_number) {
            let whole = listed
                .iter()
                .all(|value| value.as_number().is_some_and(is_whole));
            if whole && !kinds.iter().any(|kind| kind == "number") {
                FieldType::Scalar(Scalar::Integer)
            } else {
                FieldType::Scalar(Scalar::Number)
            }
        } else {
            // Values of several types: any value, limited to these.
            if *rules != Rules::default() {
                self.errors.push(
                    Rule::Schema.error(
                        at,
                        "rules beside an `enum` of values of several types are not supported yet",
                    )
                    .with_help("list only the values the rules allow, and drop the rules"),
                );
                return None;
            }
            FieldType::Any
        };
        rules.values = Some(listed);
        Some(ty)
    }

    fn enum_type(
        &mut self,
        path: &[String],
        elements: &[&Value<'_>],
        at: Span,
        description: Option<String>,
    ) -> Option<FieldType> {
        let mut listed = Vec::new();
        let mut null = false;
        for element in elements.iter().copied() {
            match element {
                Value::StringLit(lit) => listed.push((lit.value.to_string(), self.span(element))),
                Value::NullKeyword(_) => null = true,
                _ => {
                    self.errors.push(Rule::Schema.error(
                        self.span(element),
                        "only string values are supported in `enum` and `const`",
                    ));
                    return None;
                }
            }
        }
        if listed.is_empty() && null {
            // `null` alone.
            return Some(FieldType::Null);
        }
        let type_name = self.type_name(path);
        match self
            .enums
            .intern(type_name, &listed, at, doc_of(description))
        {
            Ok(id) => Some(FieldType::Enum(id)),
            Err(errors) => {
                self.errors.extend(errors);
                None
            }
        }
    }

    /// `"$ref": "#/definitions/Name"` (or `#/$defs/`), resolved in this file.
    fn reference(
        &mut self,
        path: &[String],
        value: &'a Value<'s>,
        depth: usize,
        payload: Option<&MemberPath>,
        payload_position: &mut Option<usize>,
    ) -> Option<PropertyType> {
        if depth >= MAX_DEPTH {
            // A reference cycle: a recursive type, which the envelope's
            // objects cannot be.
            self.errors.push(
                Rule::Schema
                    .error(self.span(value), "`$ref` nests too deeply here (a cycle?)")
                    .with_help("an envelope's objects cannot hold themselves: break the cycle"),
            );
            return None;
        }
        let target = self.follow(value, false)?;
        // A target read again while it is being read: a cycle, which would
        // be a type holding itself.
        let key = (target.file, target.node as *const Value<'_> as usize);
        if self.reading.contains(&key) {
            // Back into an object being read: that object's type, which
            // holds itself (a tree's `children`). Its schema is then a
            // definition of its own in every output.
            // Only a schema that is an object (`"type": "object"`): one
            // without `type` is a union of every type, its object one branch.
            let object = target
                .node
                .as_object()
                .filter(|object| string_keyword(object, "type").as_deref() == Some("object"))
                .map(|object| object as *const Object<'_> as usize);
            let building = self
                .building
                .iter()
                .find(|(address, _)| Some(*address) == object)
                .map(|(_, id)| *id)
                .filter(|_| payload.is_none() && !self.in_envelope);
            if let Some(id) = building {
                self.structs[id.0].named = true;
                return Some(PropertyType {
                    ty: FieldType::Struct(id),
                    nullable: false,
                    rules: Rules::default(),
                    description: None,
                    examples: Vec::new(),
                });
            }
            self.errors.push(
                Rule::Schema.error(self.span(value), "this `$ref` leads back into itself: a recursive type, which evcat does not read yet")
                    .with_help("give the schema a depth: define the inner level without the reference"),
            );
            return None;
        }
        self.reading.push(key);
        let read = self.reference_target(path, &target, depth, payload, payload_position);
        self.reading.pop();
        read
    }

    fn reference_target(
        &mut self,
        path: &[String],
        target: &super::super::documents::Target<'a, 's>,
        depth: usize,
        payload: Option<&MemberPath>,
        payload_position: &mut Option<usize>,
    ) -> Option<PropertyType> {
        // Objects holding a role are the envelope's own path: read in place.
        if payload.is_some() {
            return self.at_target(target, |reader| {
                reader.property_type(path, target.node, depth + 1, payload, payload_position)
            });
        }
        // The envelope is read first: a payload may use its types.
        let key = (target.file, target.node as *const Value<'_> as usize);
        if let Some(known) = self.referenced.get(&key) {
            return Some(known.clone());
        }
        // A definition is one type wherever it is used, named after itself
        // (its `title`, else its name or file: `common/user.schema.json` →
        // `User`), unless another type has that name.
        let own_name = self.definition_name(target);
        let (prefix, inner_path) = match own_name {
            Some(name) => (String::new(), vec![name]),
            None => (self.type_prefix.clone(), path.to_vec()),
        };
        let saved_prefix = std::mem::replace(&mut self.type_prefix, prefix);
        let read = self.at_target(target, |reader| {
            reader.property_type(&inner_path, target.node, depth + 1, None, &mut None)
        });
        self.type_prefix = saved_prefix;
        if let Some(read) = &read {
            self.referenced.insert(key, read.clone());
        }
        read
    }

    /// The name a `$ref` target's types take: its `title`, else the last
    /// segment of where it is (`#/$defs/Money` → `Money`, a file's stem),
    /// in PascalCase; `None` when a type has that name already, or the
    /// target defines no type of its own (a lone scalar).
    fn definition_name(&self, target: &super::super::documents::Target<'a, 's>) -> Option<String> {
        let object = target.node.as_object()?;
        let defines_type = ["properties", "enum", "const", "oneOf", "anyOf", "allOf"]
            .iter()
            .any(|keyword| object.get(keyword).is_some())
            || string_keyword(object, "type").as_deref() == Some("object");
        if !defines_type {
            return None;
        }
        // A definition inside a file is named by its key, a file by its name.
        let from_location = || {
            target.key.clone().or_else(|| {
                let uri = target.base.as_str();
                uri.rsplit(['/', '#'])
                    .find(|segment| !segment.is_empty())
                    .map(str::to_owned)
            })
        };
        let raw = string_keyword(object, "title").or_else(from_location)?;
        let trimmed = raw.trim_end_matches(".json").trim_end_matches(".schema");
        let name = ident::joined_type_name(&[trimmed]);
        let taken = self.reserved.contains(&name)
            || self.structs.iter().any(|known| known.name == name)
            || self.unions.iter().any(|known| known.name == name)
            || self.enums.iter().any(|known| known.name == name);
        (!name.is_empty() && !taken && name.starts_with(|c: char| c.is_ascii_alphabetic()))
            .then_some(name)
    }

    /// The `examples` annotation's values, read from the (valid JSON) text
    /// the parser located them in.
    pub(super) fn examples(&mut self, schema: &Object<'_>) -> Vec<serde_json::Value> {
        let Some(examples) = schema.get("examples") else {
            return Vec::new();
        };
        match self.json_of(&examples.value) {
            Some(serde_json::Value::Array(values)) => values,
            _ => {
                self.errors.push(Rule::Schema.error(
                    self.span(&examples.value),
                    "`examples` must be an array of values",
                ));
                Vec::new()
            }
        }
    }

    /// A value of the schema as JSON, read from the text the parser
    /// located it in; `None` when that text is not JSON.
    /// A property schema's own `default`, as JSON.
    pub(super) fn default_of(&self, node: &Value<'_>) -> Option<serde_json::Value> {
        let default = node.as_object()?.get("default")?;
        self.json_of(&default.value)
    }

    fn json_of(&self, node: &Value<'_>) -> Option<serde_json::Value> {
        let range = node.range();
        serde_json::from_str(&self.sources.text(self.file)[range.start..range.end]).ok()
    }

    pub(super) fn rules(&mut self, schema: &Object<'_>) -> Rules {
        if let Some(pattern) = schema.get("pattern") {
            let text = pattern
                .value
                .as_string_lit()
                .map(|lit| lit.value.to_string());
            if let Some(Err(error)) = text.as_deref().map(regex::Regex::new) {
                let reason = error
                    .to_string()
                    .lines()
                    .last()
                    .unwrap_or_default()
                    .trim()
                    .trim_start_matches("error: ")
                    .to_owned();
                self.errors.push(
                    Rule::Schema.error(self.span(&pattern.value), format!("evcat cannot check this `pattern`: {reason}"))
                        .with_help("use the regular-expression syntax shared by JavaScript and Rust (no look-around or back-references)"),
                );
            } else if let Some(Err(error)) = text
                .as_deref()
                .map(|text| regress::Regex::with_flags(text, "u"))
            {
                // AJV and the zod validators compile patterns as JavaScript
                // does (`new RegExp(pattern, "u")`): one that fails there
                // would fail a consumer at import time.
                self.errors.push(
                    Rule::Schema.error(
                        self.span(&pattern.value),
                        format!("JavaScript cannot compile this `pattern` (with the `u` flag, as AJV and zod do): {error}"),
                    )
                    .with_help("use the regular-expression syntax shared by JavaScript and Rust: escape only punctuation (`\\-` outside classes is refused), and write classes JavaScript knows"),
                );
            }
        }
        if let Some(format) = schema.get("format") {
            let name = format
                .value
                .as_string_lit()
                .map(|lit| lit.value.to_string());
            if name
                .as_deref()
                .and_then(crate::vocabulary::format)
                .is_none()
            {
                let known: Vec<&str> = crate::vocabulary::FORMATS
                    .iter()
                    .map(|format| format.name)
                    .collect();
                self.errors.push(
                    Rule::Schema.warning(
                        self.span(&format.value),
                        "evcat does not check this `format`: consumers may give different verdicts",
                    )
                    .with_help(format!(
                        "evcat checks {}; state the rule as a `pattern` if every consumer must apply it",
                        known.join(", ")
                    )),
                );
            }
        }
        let mut minimum = self.number_keyword(schema, "minimum");
        let mut maximum = self.number_keyword(schema, "maximum");
        // Draft-04's `exclusiveMinimum: true` makes its `minimum` exclusive.
        let exclusive_minimum = self.exclusive_bound(schema, "exclusiveMinimum", &mut minimum);
        let exclusive_maximum = self.exclusive_bound(schema, "exclusiveMaximum", &mut maximum);
        let multiple_of = self.number_keyword(schema, "multipleOf");
        if let Some(divisor) = multiple_of
            .as_ref()
            .filter(|divisor| divisor.as_f64().is_none_or(|value| value <= 0.0))
        {
            let at = schema.get("multipleOf").map(|prop| self.span(&prop.value));
            if let Some(at) = at {
                self.errors.push(Rule::Schema.error(
                    at,
                    format!("`multipleOf` must be above zero, not {divisor}"),
                ));
            }
        }
        let unique_items = match schema.get("uniqueItems") {
            None => false,
            Some(prop) => match prop.value.as_boolean_lit() {
                Some(lit) => lit.value,
                None => {
                    self.errors.push(Rule::Schema.error(
                        self.span(&prop.value),
                        "`uniqueItems` must be true or false",
                    ));
                    false
                }
            },
        };
        Rules {
            pattern: string_keyword(schema, "pattern"),
            format: string_keyword(schema, "format"),
            min_length: self.count_keyword(schema, "minLength"),
            max_length: self.count_keyword(schema, "maxLength"),
            minimum,
            maximum,
            exclusive_minimum,
            exclusive_maximum,
            multiple_of,
            min_items: self.count_keyword(schema, "minItems"),
            max_items: self.count_keyword(schema, "maxItems"),
            unique_items,
            values: None,
        }
    }

    /// `exclusiveMinimum`/`exclusiveMaximum`: a number (Draft-06 on), or
    /// Draft-04's boolean, which moves `bound` (`minimum`/`maximum`) here.
    fn exclusive_bound(
        &mut self,
        schema: &Object<'_>,
        keyword: &str,
        bound: &mut Option<serde_json::Number>,
    ) -> Option<serde_json::Number> {
        let prop = schema.get(keyword)?;
        match &prop.value {
            Value::BooleanLit(lit) if lit.value => bound.take(),
            Value::BooleanLit(_) => None,
            _ => self.number_keyword(schema, keyword),
        }
    }

    fn count_keyword(&mut self, schema: &Object<'_>, keyword: &str) -> Option<u64> {
        let prop = schema.get(keyword)?;
        let parsed = prop
            .value
            .as_number_lit()
            .and_then(|lit| lit.value.parse::<u64>().ok());
        if parsed.is_none() {
            self.errors.push(Rule::Schema.error(
                self.span(&prop.value),
                format!("`{keyword}` must be a non-negative integer"),
            ));
        }
        parsed
    }

    fn number_keyword(&mut self, schema: &Object<'_>, keyword: &str) -> Option<serde_json::Number> {
        let prop = schema.get(keyword)?;
        let parsed = prop
            .value
            .as_number_lit()
            .and_then(|lit| serde_json::from_str::<serde_json::Number>(lit.value).ok());
        if parsed.is_none() {
            self.errors.push(Rule::Schema.error(
                self.span(&prop.value),
                format!("`{keyword}` must be a number"),
            ));
        }
        parsed
    }
}

/// Whether a tuple may hold values of this type: not objects or unions,
/// which would need checks that descend into positions (not yet).
fn flat(ty: &FieldType) -> bool {
    match ty {
        FieldType::Array(inner) => flat(inner),
        FieldType::Struct(_) | FieldType::Union(_) | FieldType::Map(_) | FieldType::Tuple(_) => {
            false
        }
        _ => true,
    }
}

/// Whole numbers written with a fraction (`2.0`) made integers, at any
/// depth of a listed value.
fn whole_as_integers(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(number) if !number.is_i64() && !number.is_u64() => {
            if let Some(float) = number.as_f64().filter(|_| is_whole(number)) {
                *number = serde_json::Number::from(float as i64);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(whole_as_integers),
        serde_json::Value::Object(members) => members.values_mut().for_each(whole_as_integers),
        _ => {}
    }
}
