//! `allOf`: every branch applies, so the branches are merged into one
//! type. Objects merge their properties (a property several branches
//! declare is the merge of its schemas, as octokit narrows `state` to
//! `"open"` for `issues.opened`), `required` lists add up, and a closed
//! branch must declare what the others do. Scalars merge their types (the
//! common one), value sets (the common values) and rules (the tighter
//! bound). What cannot be one type is an error at the branches.

use jsonc_parser::ast::{Object, ObjectProp, Value};
use referencing::Uri;

use super::shared::SharedMembers;
use super::{closed, doc_of, string_keyword, PayloadSchema, PropertyType, SchemaReader, MAX_DEPTH};
use crate::diagnostics::Rule;
use crate::ir::{
    Field, FieldType, FileId, Presence, Rules, Scalar, Span, StructId, StructType, TypeOrigin,
};

/// One schema `allOf` applies, with where it is read from.
#[derive(Clone)]
pub(super) struct Part<'p, 's> {
    file: FileId,
    base: Option<Uri<String>>,
    node: &'p Value<'s>,
    schema: &'p Object<'s>,
}

/// The members of an `allOf` of objects, before they are read.
struct MergedMembers<'p, 's> {
    /// Each property, in order of first declaration, with the parts (by
    /// index) that declare it and their schemas of it.
    declared: Vec<(String, Vec<(usize, &'p ObjectProp<'s>)>)>,
    required: Vec<String>,
    /// The presence rule, with the index of the part that states it.
    presence: Option<(Presence, usize)>,
}

/// Keywords that change no verdict: a part of only these adds nothing.
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "examples",
    "default",
    "$comment",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$schema",
    "$id",
    "id",
    "$defs",
    "definitions",
];

impl<'a, 's> SchemaReader<'a, 's> {
    /// A schema with `allOf`: its own keywords and each branch's (through
    /// `$ref`s and nested `allOf`s), merged.
    pub(super) fn all_of(
        &mut self,
        path: &[String],
        node: &'a Value<'s>,
        depth: usize,
        description: Option<String>,
    ) -> Option<PropertyType> {
        let mut parts = Vec::new();
        self.parts(node, &mut parts, depth)?;
        let mut read = self.merge(path, &parts, depth)?;
        read.description = description.or(read.description);
        Some(read)
    }

    /// A payload whose root is an `allOf` of objects (an AsyncAPI
    /// message's own members beside the ones every message has): the
    /// merged members are the event's fields.
    pub(super) fn merged_payload(
        &mut self,
        node: &'a Value<'s>,
        shared: Option<&SharedMembers<'_>>,
    ) -> Option<PayloadSchema> {
        let mut parts = Vec::new();
        self.parts(node, &mut parts, 0)?;
        self.refuse_parts(&parts)?;
        if let Some(part) = parts.iter().find(|part| !is_object(part.schema)) {
            self.at_part(part, |reader| {
                reader.errors.push(
                    Rule::Schema.error(
                        reader.span(part.schema),
                        "an event's payload is an object: this branch of its `allOf` is not an object schema",
                    )
                    .with_help("give each branch `\"type\": \"object\"` or `properties`"),
                )
            });
            return None;
        }
        let members = self.merged_members(&parts)?;
        if let Some((_, index)) = members.presence {
            let part = &parts[index];
            self.at_part(part, |reader| {
                let at = reader.span(part.schema);
                reader.errors.push(super::root_presence_unsupported(at))
            });
            return None;
        }
        let (fields, skipped) = self.merged_fields(&[], &parts, &members, 0, shared);
        let closed_part = parts.iter().any(|part| closed(part.schema));
        Some(PayloadSchema {
            fields,
            closed: closed_part
                && !shared.is_some_and(|shared| shared.closes_as_envelope(&skipped)),
        })
    }

    /// The parts of `schema`: itself (its `allOf` and `$ref` aside) when it
    /// says more than annotations, and each branch's parts.
    fn parts(
        &mut self,
        node: &'a Value<'s>,
        parts: &mut Vec<Part<'a, 's>>,
        depth: usize,
    ) -> Option<()> {
        let Some(schema) = node.as_object() else {
            self.errors.push(Rule::Schema.error(
                self.span(node),
                "each branch of `allOf` must be a schema object",
            ));
            return None;
        };
        if depth > MAX_DEPTH {
            self.errors.push(Rule::Schema.error(
                self.span(schema),
                "`allOf` and `$ref` nest too deeply here (a cycle?)",
            ));
            return None;
        }
        if constrains(schema) {
            parts.push(Part {
                file: self.file,
                base: self.base.clone(),
                node,
                schema,
            });
        }
        if let Some(reference) = schema.get("$ref") {
            let target = self.follow(&reference.value, false)?;
            self.at_target(&target, |reader| {
                reader.parts(target.node, parts, depth + 1)
            })?;
        }
        let Some(all) = schema.get("allOf") else {
            return Some(());
        };
        let branches = match all.value.as_array() {
            Some(array) if !array.elements.is_empty() => &array.elements,
            _ => {
                self.errors.push(Rule::Schema.error(
                    self.span(&all.value),
                    "`allOf` must be a non-empty array of schemas",
                ));
                return None;
            }
        };
        let mut failed = false;
        for branch in branches {
            failed |= self.parts(branch, parts, depth + 1).is_none();
        }
        (!failed).then_some(())
    }

    /// The type of values every part accepts.
    fn merge(
        &mut self,
        path: &[String],
        parts: &[Part<'a, 's>],
        depth: usize,
    ) -> Option<PropertyType> {
        if let [only] = parts {
            return self.at_part(only, |reader| {
                reader.guarded(only.schema, |reader| {
                    reader.property_type(path, only.node, depth + 1, None, &mut None)
                })
            });
        }
        if parts.is_empty() {
            // Branches of annotations at most: any value.
            return Some(PropertyType::any_value(None));
        }
        self.refuse_parts(parts)?;
        let description = parts
            .iter()
            .find_map(|part| string_keyword(part.schema, "description"));
        if parts.iter().all(|part| is_object(part.schema)) {
            let ty = self.merged_object(path, parts, depth)?;
            return Some(PropertyType {
                ty,
                nullable: false,
                rules: Rules::default(),
                description,
                examples: Vec::new(),
            });
        }
        let mut read = self.merged_scalar(path, parts, depth)?;
        read.description = description;
        Some(read)
    }

    /// One object of every part's properties.
    fn merged_object(
        &mut self,
        path: &[String],
        parts: &[Part<'a, 's>],
        depth: usize,
    ) -> Option<FieldType> {
        let members = self.merged_members(parts)?;
        let span = self.at_part(&parts[0], |reader| reader.span(parts[0].schema));
        let name = self.type_name(path);
        // The object's slot comes before the types its members make.
        let id = StructId(self.structs.len());
        self.structs.push(StructType {
            name,
            fields: Vec::new(),
            span,
            named: false,
            doc: doc_of(None),
            envelope: self.in_envelope,
            closed: parts.iter().any(|part| closed(part.schema)),
            presence: members
                .presence
                .as_ref()
                .map(|(presence, _)| presence.clone()),
        });
        let (fields, _) = self.merged_fields(path, parts, &members, depth, None);
        self.structs[id.0].fields = fields;
        Some(FieldType::Struct(id))
    }

    /// Every part's properties (each with the schemas that declare it),
    /// the `required` names of all parts and the presence rule of the one
    /// part that has one; contradictions between the parts are errors.
    fn merged_members(&mut self, parts: &[Part<'a, 's>]) -> Option<MergedMembers<'a, 's>> {
        // Each property, in order of first declaration, with every part's
        // schema of it.
        let mut declared: Vec<(String, Vec<(usize, &'a ObjectProp<'s>)>)> = Vec::new();
        let mut failed = false;
        for (index, part) in parts.iter().enumerate() {
            let Some(properties) = part.schema.get("properties") else {
                continue;
            };
            let Some(properties) = properties.value.as_object() else {
                self.at_part(part, |reader| {
                    reader.errors.push(Rule::Schema.error(
                        reader.span(&properties.value),
                        "`properties` must be an object of property schemas",
                    ))
                });
                failed = true;
                continue;
            };
            for property in &properties.properties {
                let name = property.name.as_str();
                match declared.iter_mut().find(|(known, _)| known == name) {
                    Some((_, schemas)) => schemas.push((index, property)),
                    None => declared.push((name.to_owned(), vec![(index, property)])),
                }
            }
        }
        // `required` of any part, declared by some part.
        let mut required: Vec<String> = Vec::new();
        for part in parts {
            let Some(list) = part.schema.get("required") else {
                continue;
            };
            let names = list.value.as_array().map(|array| &array.elements);
            for element in names.into_iter().flatten() {
                let name = element.as_string_lit().map(|lit| lit.value.to_string());
                match name {
                    Some(name) if declared.iter().any(|(known, _)| known == &name) => {
                        if !required.contains(&name) {
                            required.push(name);
                        }
                    }
                    shown => {
                        let shown = shown.unwrap_or_default();
                        self.at_part(part, |reader| {
                            reader.errors.push(
                                Rule::Schema.error(
                                    reader.span(element),
                                    format!("`{shown}` is required, but no branch of `allOf` declares it under `properties`"),
                                )
                                .with_help("declare it under `properties` in one of the branches"),
                            )
                        });
                        failed = true;
                    }
                }
            }
        }
        // A closed part refuses the members only the others declare.
        for (index, part) in parts.iter().enumerate() {
            if !closed(part.schema) {
                continue;
            }
            for (name, schemas) in &declared {
                if schemas.iter().any(|(owner, _)| *owner == index) {
                    continue;
                }
                let (other, property) = schemas[0];
                let elsewhere = self.at_part(&parts[other], |reader| reader.span(&property.name));
                self.at_part(part, |reader| {
                    let keyword = part.schema.get("additionalProperties").map(|prop| reader.span(&prop.name));
                    reader.errors.push(
                        Rule::Schema.error(
                            keyword.unwrap_or_else(|| reader.span(part.schema)),
                            format!("`additionalProperties: false` here refuses `{name}`, which another branch of `allOf` declares"),
                        )
                        .with_note(elsewhere, format!("`{name}` is declared here"))
                        .with_help("every branch of `allOf` applies: declare the member in the closed branch too, or open it"),
                    )
                });
                failed = true;
            }
        }
        if failed {
            return None;
        }
        let presences: Vec<(usize, &Part<'a, 's>)> = parts
            .iter()
            .enumerate()
            .filter(|(_, part)| {
                ["anyOf", "oneOf"]
                    .iter()
                    .any(|keyword| part.schema.get(keyword).is_some())
            })
            .collect();
        let presence = match presences.as_slice() {
            [] => None,
            [(index, part)] => {
                let all_properties = Object {
                    properties: declared
                        .iter()
                        .map(|(_, schemas)| schemas[0].1.clone())
                        .collect(),
                    range: part.schema.range,
                };
                self.at_part(part, |reader| reader.presence(part.schema, &all_properties))
                    .map(|presence| (presence, *index))
            }
            [_, (_, second), ..] => {
                self.at_part(second, |reader| {
                    reader.errors.push(Rule::Schema.error(
                        reader.span(second.schema),
                        "more than one branch of `allOf` has alternatives: this is not supported yet",
                    ))
                });
                return None;
            }
        };
        Some(MergedMembers {
            declared,
            required,
            presence,
        })
    }

    /// The fields of merged members: a member one part declares read from
    /// it, one several parts declare merged from their schemas. With
    /// `shared` (a flat event's whole-event schema), the envelope's members
    /// are compared with the envelope and left out; their names returned.
    fn merged_fields(
        &mut self,
        path: &[String],
        parts: &[Part<'a, 's>],
        members: &MergedMembers<'a, 's>,
        depth: usize,
        shared: Option<&SharedMembers<'_>>,
    ) -> (Vec<Field>, Vec<String>) {
        let mut fields = Vec::new();
        let mut skipped = Vec::new();
        for (name, schemas) in &members.declared {
            let mut inner = path.to_vec();
            inner.push(name.clone());
            let (first, first_property) = schemas[0];
            let name_span = self.at_part(&parts[first], |reader| reader.span(&first_property.name));
            let envelope_field =
                shared.and_then(|shared| shared.fields.iter().find(|field| &field.name == name));
            let marks = envelope_field.map(|_| self.marks());
            let read = if let [(owner, property)] = schemas.as_slice() {
                self.at_part(&parts[*owner], |reader| {
                    reader.property_type(&inner, &property.value, depth + 1, None, &mut None)
                })
            } else {
                let mut property_parts = Vec::new();
                let mut ok = true;
                for (owner, property) in schemas {
                    ok &= self
                        .at_part(&parts[*owner], |reader| {
                            reader.parts(&property.value, &mut property_parts, depth + 1)
                        })
                        .is_some();
                }
                if ok {
                    self.merge(&inner, &property_parts, depth + 1)
                } else {
                    None
                }
            };
            if let (Some(shared), Some(envelope_field), Some(marks)) =
                (shared, envelope_field, marks)
            {
                skipped.push(name.clone());
                let same = read
                    .as_ref()
                    .map(|read| self.says_what_envelope_says(name, read, envelope_field, shared));
                self.forget_since(marks);
                if same == Some(false) {
                    self.errors.push(super::shared::differs_from_envelope(
                        name,
                        name_span,
                        envelope_field,
                    ));
                }
                continue;
            }
            let Some(read) = read else {
                continue;
            };
            fields.push(Field {
                name: name.clone(),
                span: name_span,
                optional: !members.required.contains(name),
                nullable: read.nullable,
                ty: read.ty,
                rules: read.rules,
                doc: doc_of(read.description),
                type_origin: if self.in_envelope {
                    TypeOrigin::EnvelopeSchema
                } else {
                    TypeOrigin::PayloadSchema
                },
                examples: read.examples,
                // The first part that declares the member says its default.
                default: self.at_part(&parts[first], |reader| {
                    reader.default_of(&first_property.value)
                }),
                pii: false,
                rust_name: None,
            });
        }
        (fields, skipped)
    }

    /// A string, number, boolean or `null` every part accepts: the common
    /// type, the common values, the tighter rules.
    fn merged_scalar(
        &mut self,
        path: &[String],
        parts: &[Part<'a, 's>],
        depth: usize,
    ) -> Option<PropertyType> {
        let mut kinds: Option<Vec<String>> = None;
        let mut nullable = true;
        let mut values: Option<Vec<(String, Span)>> = None;
        let mut rules = Rules::default();
        let mut items: Option<&Part<'a, 's>> = None;
        let mut failed = false;
        for part in parts {
            let read = self.at_part(part, |reader| {
                let (stated, null) = reader.type_keyword(part.schema)?;
                let own_rules = reader.rules(part.schema);
                let listed = reader.string_values(part.schema)?;
                let span = reader.span(part.schema);
                Some((stated, null, own_rules, listed, span))
            });
            let Some((stated, null, own_rules, listed, span)) = read else {
                failed = true;
                continue;
            };
            if part.schema.get("type").is_some() {
                let mut stated = stated;
                if null {
                    stated.push("null".to_owned());
                }
                kinds = Some(match kinds {
                    None => stated,
                    Some(known) => common_kinds(&known, &stated),
                });
            }
            if let Some((listed, null_listed)) = listed {
                nullable &= null_listed;
                values = Some(match values {
                    None => listed,
                    Some(known) => known
                        .into_iter()
                        .filter(|(value, _)| listed.iter().any(|(other, _)| other == value))
                        .collect(),
                });
            }
            if part.schema.get("items").is_some() {
                if items.is_some() {
                    self.at_part(part, |reader| {
                        reader.errors.push(Rule::Schema.error(
                            reader.span(part.schema),
                            "`items` in more than one branch of `allOf` is not supported yet",
                        ))
                    });
                    failed = true;
                }
                items = Some(part);
            }
            if let Err(keyword) = merge_rules(&mut rules, own_rules) {
                self.errors.push(
                    Rule::Schema.error(span, format!("the branches of `allOf` give two different `{keyword}`s"))
                        .with_help("evcat states one per value: keep the one that holds, or write one pattern that says both"),
                );
                failed = true;
            }
        }
        if failed {
            return None;
        }
        let Some(mut kinds) = kinds else {
            let span = self.at_part(&parts[0], |reader| reader.span(parts[0].schema));
            self.errors.push(
                Rule::Schema
                    .error(span, "no branch of `allOf` gives a `type`")
                    .with_help("add `\"type\"` to one of the branches"),
            );
            return None;
        };
        nullable &= kinds.iter().any(|kind| kind == "null");
        kinds.retain(|kind| kind != "null");
        let spans: Vec<Span> = parts
            .iter()
            .map(|part| self.at_part(part, |reader| reader.span(part.schema)))
            .collect();
        let contradiction = |reader: &mut Self, message: &str| {
            let mut error = Rule::Schema.error(spans[0], message.to_owned());
            for span in &spans[1..] {
                error = error.with_note(*span, "a branch of `allOf`");
            }
            reader.errors.push(
                error.with_help("every branch of `allOf` applies to the value: make them agree"),
            );
        };
        let ty = match (kinds.as_slice(), values) {
            ([], _) if nullable => FieldType::Null,
            ([], _) => {
                contradiction(
                    self,
                    "the branches of `allOf` have no type in common: no value fits them all",
                );
                return None;
            }
            ([kind], Some(values)) if kind == "string" => {
                if values.is_empty() {
                    contradiction(self, "the branches of `allOf` have no value in common");
                    return None;
                }
                let name = self.type_name(path);
                match self.enums.intern(name, &values, spans[0], doc_of(None)) {
                    Ok(id) => FieldType::Enum(id),
                    Err(errors) => {
                        self.errors.extend(errors);
                        return None;
                    }
                }
            }
            ([_], Some(_)) => {
                self.errors.push(Rule::Schema.error(
                    spans[0],
                    "only string values are supported in `enum` and `const`",
                ));
                return None;
            }
            ([kind], None) if kind == "array" => {
                let Some(part) = items else {
                    self.errors.push(Rule::Schema.error(
                        spans[0],
                        "the array has no `items` schema in any branch of `allOf`",
                    ));
                    return None;
                };
                let rules_here = rules.clone();
                self.at_part(part, |reader| {
                    reader.scalar_or_array(path, part.schema, "array", &rules_here, depth)
                })?
            }
            ([kind], None) => {
                match kind.as_str() {
                    "string" if rules.format.as_deref() == Some("uuid") => {
                        FieldType::Scalar(Scalar::Uuid)
                    }
                    "string" => FieldType::Scalar(Scalar::String),
                    "integer" => FieldType::Scalar(Scalar::Integer),
                    "number" => FieldType::Scalar(Scalar::Number),
                    "boolean" => FieldType::Scalar(Scalar::Boolean),
                    _ => {
                        contradiction(self, &format!("`{kind}` in `allOf` beside branches of other types is not supported"));
                        return None;
                    }
                }
            }
            (_, _) => {
                contradiction(self, "several types in `allOf` are not supported yet");
                return None;
            }
        };
        // A string's rules say nothing of `null`.
        let rules = if ty == FieldType::Null {
            Rules::default()
        } else {
            rules
        };
        Some(PropertyType {
            nullable: nullable && ty != FieldType::Null,
            ty,
            rules,
            description: None,
            examples: Vec::new(),
        })
    }

    /// `enum`/`const` string values, and whether `null` is listed; `None`
    /// inside when the schema lists none. Values of other types are an error.
    fn string_values(&mut self, schema: &Object<'_>) -> Option<Option<Listed>> {
        let Some(values) = schema.get("enum").or_else(|| schema.get("const")) else {
            return Some(None);
        };
        let elements: Vec<&Value<'_>> = match values.value.as_array() {
            Some(array) if values.name.as_str() == "enum" => array.elements.iter().collect(),
            _ => vec![&values.value],
        };
        let mut listed = Vec::new();
        let mut null = false;
        for element in elements {
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
        Some(Some((listed, null)))
    }

    /// [`Self::refuse_in_merge`] for every part, each in its own file: all
    /// refusals reported, `None` when there was one.
    fn refuse_parts(&mut self, parts: &[Part<'a, 's>]) -> Option<()> {
        let mut refused = false;
        for part in parts {
            refused |= self
                .at_part(part, |reader| reader.refuse_in_merge(part.schema))
                .is_none();
        }
        (!refused).then_some(())
    }

    /// What a part of a merge may not say: what a lone schema may not
    /// either, alternatives beside members, and a map's value schema.
    fn refuse_in_merge(&mut self, schema: &Object<'_>) -> Option<()> {
        self.reject_unenforced_keywords(schema);
        let mut refused = None;
        for keyword in super::UNSUPPORTED_KEYWORDS
            .iter()
            .filter(|keyword| **keyword != "allOf")
        {
            if let Some(found) = schema.get(keyword) {
                refused = Some((
                    self.span(&found.name),
                    format!("`{keyword}` in a branch of `allOf` is not supported yet"),
                ));
            }
        }
        for keyword in ["oneOf", "anyOf"] {
            let found = schema.get(keyword);
            if let Some(found) =
                found.filter(|found| !super::alternatives::is_presence(&found.value))
            {
                refused = Some((
                    self.span(&found.name),
                    format!("`{keyword}` in a branch of `allOf` is not supported yet"),
                ));
            }
        }
        if let Some(found) = schema
            .get("additionalProperties")
            .filter(|found| found.value.as_boolean_lit().is_none())
        {
            refused = Some((self.span(&found.name), "a map (`additionalProperties` with a schema) in a branch of `allOf` is not supported yet".to_owned()));
        }
        match refused {
            Some((span, message)) => {
                self.errors
                    .push(Rule::Schema.error(span, message).with_help(
                    "merge the branches by hand, or state the rule in one schema without `allOf`",
                ));
                None
            }
            None => Some(()),
        }
    }

    /// `read` in the part's file and base.
    fn at_part<T>(&mut self, part: &Part<'a, 's>, read: impl FnOnce(&mut Self) -> T) -> T {
        self.at(part.file, part.base.clone(), read)
    }

    /// `read` with `schema`'s `allOf` already taken apart, so reading the
    /// schema for its own keywords does not merge it again.
    fn guarded<T>(&mut self, schema: &Object<'_>, read: impl FnOnce(&mut Self) -> T) -> T {
        let address = schema as *const Object<'_> as usize;
        self.merging.push(address);
        let result = read(self);
        self.merging.pop();
        result
    }
}

/// `enum`/`const` string values with their spans, and whether `null` is
/// listed too.
type Listed = (Vec<(String, Span)>, bool);

/// Whether a schema says more than annotations (its `allOf` and `$ref`
/// are read as parts of their own).
pub(super) fn constrains(schema: &Object<'_>) -> bool {
    schema.properties.iter().any(|property| {
        let name = property.name.as_str();
        !ANNOTATIONS.contains(&name) && name != "allOf" && name != "$ref"
    })
}

/// An object schema: `"type": "object"`, or `properties`, `required` or
/// `additionalProperties` without another type.
fn is_object(schema: &Object<'_>) -> bool {
    match schema
        .get("type")
        .and_then(|kind| kind.value.as_string_lit())
    {
        Some(lit) => lit.value == "object",
        None => {
            schema.get("type").is_none()
                && ["properties", "required", "additionalProperties"]
                    .iter()
                    .any(|keyword| schema.get(keyword).is_some())
        }
    }
}

/// The JSON types both lists allow; an integer is a number.
fn common_kinds(first: &[String], second: &[String]) -> Vec<String> {
    let mut common = Vec::new();
    for kind in first {
        for other in second {
            let both = match (kind.as_str(), other.as_str()) {
                (a, b) if a == b => Some(a),
                ("integer", "number") | ("number", "integer") => Some("integer"),
                _ => None,
            };
            if let Some(both) =
                both.filter(|both| !common.iter().any(|known: &String| known == both))
            {
                common.push(both.to_owned());
            }
        }
    }
    common
}

/// `rules` narrowed by `other`: the higher minimum, the lower maximum; the
/// keyword both give differently when they cannot be one.
fn merge_rules(rules: &mut Rules, other: Rules) -> Result<(), &'static str> {
    fn same<T: PartialEq>(
        mine: &mut Option<T>,
        theirs: Option<T>,
        keyword: &'static str,
    ) -> Result<(), &'static str> {
        match (mine.as_ref(), theirs) {
            (_, None) => Ok(()),
            (None, theirs) => {
                *mine = theirs;
                Ok(())
            }
            (Some(known), Some(theirs)) if *known == theirs => Ok(()),
            _ => Err(keyword),
        }
    }
    same(&mut rules.pattern, other.pattern, "pattern")?;
    same(&mut rules.format, other.format, "format")?;
    rules.min_length = rules.min_length.max(other.min_length);
    rules.max_length = match (rules.max_length, other.max_length) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let value = |number: &serde_json::Number| number.as_f64().unwrap_or_default();
    rules.minimum = match (rules.minimum.take(), other.minimum) {
        (Some(a), Some(b)) => Some(if value(&a) >= value(&b) { a } else { b }),
        (a, b) => a.or(b),
    };
    rules.maximum = match (rules.maximum.take(), other.maximum) {
        (Some(a), Some(b)) => Some(if value(&a) <= value(&b) { a } else { b }),
        (a, b) => a.or(b),
    };
    rules.exclusive_minimum = match (rules.exclusive_minimum.take(), other.exclusive_minimum) {
        (Some(a), Some(b)) => Some(if value(&a) >= value(&b) { a } else { b }),
        (a, b) => a.or(b),
    };
    rules.exclusive_maximum = match (rules.exclusive_maximum.take(), other.exclusive_maximum) {
        (Some(a), Some(b)) => Some(if value(&a) <= value(&b) { a } else { b }),
        (a, b) => a.or(b),
    };
    same(&mut rules.multiple_of, other.multiple_of, "multipleOf")?;
    rules.min_items = rules.min_items.max(other.min_items);
    rules.max_items = match (rules.max_items, other.max_items) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    rules.unique_items |= other.unique_items;
    Ok(())
}
