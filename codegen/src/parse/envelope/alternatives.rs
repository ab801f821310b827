//! Schemas of alternatives: `oneOf`/`anyOf` and `type` lists of several
//! JSON types. A `null` branch makes the field nullable; one branch left
//! is that branch's type; more become a union, each branch a variant named
//! after its `title`, `$ref`, constant or type.

use jsonc_parser::ast::{Object, Value};
use jsonc_parser::common::Ranged;

use super::{doc_of, string_keyword, PropertyType, SchemaReader};
use crate::diagnostics::Rule;
use crate::ident;
use crate::ir::{EnumId, Field, FieldType, Presence, Rules, Scalar, Span, TypeOrigin, UnionType};

impl<'a, 's> SchemaReader<'a, 's> {
    /// A schema with `oneOf` or `anyOf` (`keyword`), its branches `list`.
    pub(super) fn alternatives(
        &mut self,
        path: &[String],
        schema: &'a Object<'s>,
        keyword: &str,
        depth: usize,
        description: Option<String>,
    ) -> Option<PropertyType> {
        let list = &schema.get(keyword)?.value;
        let branches = match list.as_array() {
            Some(array) if !array.elements.is_empty() => &array.elements,
            _ => {
                self.errors.push(Rule::Schema.error(
                    self.span(list),
                    format!("`{keyword}` must be a non-empty array of schemas"),
                ));
                return None;
            }
        };
        // Keywords beside the alternatives would apply to every branch:
        // evcat states them in a branch, not around them.
        if let Some(beside) = schema
            .properties
            .iter()
            .find(|property| CONSTRAINING_SIBLINGS.contains(&property.name.as_str()))
        {
            self.errors.push(
                Rule::Schema
                    .error(
                        self.span(&beside.name),
                        format!(
                            "`{}` beside `{keyword}` is not supported yet",
                            beside.name.as_str()
                        ),
                    )
                    .with_help(format!("state it in each branch of `{keyword}`")),
            );
            return None;
        }
        let mut nullable = false;
        let mut variants: Vec<Field> = Vec::new();
        let mut failed = false;
        for (index, branch) in branches.iter().enumerate() {
            if is_null_schema(branch) {
                nullable = true;
                continue;
            }
            let name = self.branch_name(branch, index, &variants);
            let mut branch_path = path.to_vec();
            branch_path.push(name.clone());
            let Some(read) = self.property_type(&branch_path, branch, depth + 1, None, &mut None)
            else {
                failed = true;
                continue;
            };
            nullable |= read.nullable;
            variants.push(self.variant(name, self.span(branch), read));
        }
        if failed {
            return None;
        }
        let ty = match variants.len() {
            0 => FieldType::Null,
            1 => {
                let only = variants.pop()?;
                return Some(PropertyType {
                    ty: only.ty,
                    nullable,
                    rules: only.rules,
                    description: description
                        .or_else(|| Some(only.doc.plain_text()).filter(|text| !text.is_empty())),
                    examples: self.examples(schema),
                });
            }
            _ => {
                let exclusive = keyword == "oneOf";
                if exclusive {
                    self.check_exclusive(&variants, schema.get(keyword)?.name.range())?;
                }
                self.union(
                    path,
                    variants,
                    exclusive,
                    self.span(list),
                    description.clone(),
                )
            }
        };
        Some(PropertyType {
            ty,
            nullable,
            rules: Rules::default(),
            description,
            examples: self.examples(schema),
        })
    }

    /// `"type": ["string", "integer"]`: a union of those types, each with
    /// the schema's rules that apply to it.
    pub(super) fn type_list(
        &mut self,
        path: &[String],
        schema: &'a Object<'s>,
        kinds: &[String],
        rules: &Rules,
        depth: usize,
    ) -> Option<FieldType> {
        let mut variants = Vec::new();
        for kind in kinds {
            let name = ident::joined_type_name(&[kind]);
            let mut branch_path = path.to_vec();
            branch_path.push(name.clone());
            let ty = match kind.as_str() {
                "object" => self.object_type(&branch_path, schema, None, depth, None, &mut None)?,
                _ => self.scalar_or_array(&branch_path, schema, kind, rules, depth)?,
            };
            let applies = match kind.as_str() {
                "string" => Rules {
                    pattern: rules.pattern.clone(),
                    format: rules.format.clone(),
                    min_length: rules.min_length,
                    max_length: rules.max_length,
                    ..Rules::default()
                },
                "integer" | "number" => Rules {
                    minimum: rules.minimum.clone(),
                    maximum: rules.maximum.clone(),
                    exclusive_minimum: rules.exclusive_minimum.clone(),
                    exclusive_maximum: rules.exclusive_maximum.clone(),
                    multiple_of: rules.multiple_of.clone(),
                    ..Rules::default()
                },
                "array" => Rules {
                    min_items: rules.min_items,
                    max_items: rules.max_items,
                    unique_items: rules.unique_items,
                    ..Rules::default()
                },
                _ => Rules::default(),
            };
            let read = PropertyType {
                ty,
                nullable: false,
                rules: applies,
                description: None,
                examples: Vec::new(),
            };
            variants.push(self.variant(name, self.span(schema), read));
        }
        let span = match schema.get("type") {
            Some(kind) => self.span(&kind.value),
            None => self.span(schema),
        };
        Some(self.union(path, variants, false, span, None))
    }

    /// A type whose values may also be `null`, where no field can be
    /// nullable (an array's items, a map's values): a union with a `Null`
    /// branch (added to the union it is already).
    pub(super) fn with_null_branch(
        &mut self,
        path: &[String],
        ty: FieldType,
        span: Span,
    ) -> FieldType {
        let null = PropertyType {
            ty: FieldType::Null,
            nullable: false,
            rules: Rules::default(),
            description: None,
            examples: Vec::new(),
        };
        let null = self.variant("Null".to_owned(), span, null);
        if let FieldType::Union(id) = ty {
            self.unions[id.0].variants.push(null);
            return ty;
        }
        let name = match &ty {
            FieldType::Struct(_) => "Object".to_owned(),
            FieldType::Enum(_) => "Value".to_owned(),
            FieldType::Scalar(Scalar::Boolean) => "Boolean".to_owned(),
            FieldType::Scalar(Scalar::Integer) => "Integer".to_owned(),
            FieldType::Scalar(Scalar::Number) => "Number".to_owned(),
            FieldType::Scalar(_) => "String".to_owned(),
            FieldType::Array(_) => "Array".to_owned(),
            _ => "Object".to_owned(),
        };
        let value = PropertyType {
            ty,
            nullable: false,
            rules: Rules::default(),
            description: None,
            examples: Vec::new(),
        };
        let value = self.variant(name, span, value);
        self.union(path, vec![value, null], false, span, None)
    }

    fn union(
        &mut self,
        path: &[String],
        variants: Vec<Field>,
        exclusive: bool,
        span: Span,
        description: Option<String>,
    ) -> FieldType {
        self.unions.push(UnionType {
            name: self.type_name(path),
            variants,
            exclusive,
            doc: doc_of(description),
            span,
        });
        FieldType::Union(crate::ir::UnionId(self.unions.len() - 1))
    }

    fn variant(&self, name: String, span: Span, read: PropertyType) -> Field {
        Field {
            name,
            span,
            optional: false,
            nullable: false,
            ty: read.ty,
            rules: read.rules,
            doc: doc_of(read.description),
            type_origin: if self.in_envelope {
                TypeOrigin::EnvelopeSchema
            } else {
                TypeOrigin::PayloadSchema
            },
            examples: read.examples,
            default: None,
            pii: false,
            rust_name: None,
        }
    }

    /// A branch's variant name: its `title`, the last segment of its
    /// `$ref`, its one constant value, or its type; `Variant2` when none
    /// gives one. A name taken already gets the branch's number.
    fn branch_name(&self, branch: &Value<'_>, index: usize, taken: &[Field]) -> String {
        let object = branch.as_object();
        let from_ref = || {
            let reference = string_keyword(object?, "$ref")?;
            let last = reference
                .rsplit(['/', '#'])
                .find(|segment| !segment.is_empty())?
                .to_owned();
            Some(
                last.trim_end_matches(".json")
                    .trim_end_matches(".schema")
                    .to_owned(),
            )
        };
        let constant = || {
            let object = object?;
            let value = object.get("const").map(|prop| &prop.value).or_else(|| {
                object
                    .get("enum")?
                    .value
                    .as_array()
                    .filter(|array| array.elements.len() == 1)
                    .map(|array| &array.elements[0])
            })?;
            value.as_string_lit().map(|lit| lit.value.to_string())
        };
        let kind = || object.and_then(|object| string_keyword(object, "type"));
        let name = object
            .and_then(|object| string_keyword(object, "title"))
            .or_else(from_ref)
            .or_else(constant)
            .or_else(kind)
            .and_then(|raw| ident::rust_variant(&raw))
            .unwrap_or_else(|| format!("Variant{}", index + 1));
        if taken.iter().any(|field| field.name == name) {
            format!("{name}{}", index + 1)
        } else {
            name
        }
    }

    /// A `oneOf` whose branches could both hold one value: JSON Schema
    /// refuses that value, a Rust enum or a TypeScript union cannot, so
    /// evcat asks for branches no value can share.
    fn check_exclusive(
        &mut self,
        variants: &[Field],
        keyword: jsonc_parser::common::Range,
    ) -> Option<()> {
        let mut result = Some(());
        for (index, first) in variants.iter().enumerate() {
            for second in &variants[index + 1..] {
                if self.disjoint(&first.ty, &second.ty) {
                    continue;
                }
                self.errors.push(
                    Rule::Schema.error(
                        Span::new(self.file, keyword.start..keyword.end),
                        format!(
                            "the branches `{}` and `{}` of `oneOf` can hold the same value",
                            first.name, second.name
                        ),
                    )
                    .with_note(first.span, format!("`{}`", first.name))
                    .with_note(second.span, format!("`{}`", second.name))
                    .with_help("a value that fits both breaks `oneOf`, which no Rust enum or TypeScript union can state: make the branches exclusive (a property both require with a different `const`, or `additionalProperties: false` beside a member only the other requires), or write `anyOf` if a value may fit both"),
                );
                result = None;
            }
        }
        result
    }

    /// Whether no value fits both types.
    fn disjoint(&self, first: &FieldType, second: &FieldType) -> bool {
        let (a, b) = (json_kinds(self, first), json_kinds(self, second));
        if a.iter().all(|kind| !b.contains(kind)) {
            return true;
        }
        match (first, second) {
            (FieldType::Enum(a), FieldType::Enum(b)) => !self.enums_share(*a, *b),
            (FieldType::Struct(a), FieldType::Struct(b)) => {
                let (a, b) = (&self.structs[a.0], &self.structs[b.0]);
                let tagged_apart = a.fields.iter().any(|tag| {
                    let other = b.fields.iter().find(|other| other.name == tag.name);
                    match (other, &tag.ty) {
                        (Some(other), FieldType::Enum(mine)) if !tag.optional && !other.optional && !tag.nullable && !other.nullable => {
                            matches!(other.ty, FieldType::Enum(theirs) if !self.enums_share(*mine, theirs))
                        }
                        _ => false,
                    }
                });
                let requires_beyond =
                    |closed: &crate::ir::StructType, open: &crate::ir::StructType| {
                        closed.closed
                            && open.fields.iter().any(|field| {
                                !field.optional
                                    && !closed.fields.iter().any(|known| known.name == field.name)
                            })
                    };
                tagged_apart || requires_beyond(a, b) || requires_beyond(b, a)
            }
            _ => false,
        }
    }

    fn enums_share(&self, a: EnumId, b: EnumId) -> bool {
        let (a, b) = (self.enums.values(a), self.enums.values(b));
        a.iter().any(|value| b.contains(value))
    }
}

impl SchemaReader<'_, '_> {
    /// The object's `anyOf`/`oneOf` of `required` lists, each name declared
    /// under its `properties`.
    pub(super) fn presence(
        &mut self,
        schema: &Object<'_>,
        properties: &Object<'_>,
    ) -> Option<Presence> {
        let (keyword, list) = ["anyOf", "oneOf"]
            .into_iter()
            .find_map(|keyword| Some((keyword, &schema.get(keyword)?.value)))?;
        if !is_presence(list) {
            return None;
        }
        let mut sets = Vec::new();
        for branch in &list.as_array()?.elements {
            let names = branch.as_object()?.get("required")?.value.as_array()?;
            let mut set = Vec::new();
            for name in &names.elements {
                let Some(lit) = name.as_string_lit() else {
                    self.errors.push(Rule::Schema.error(
                        self.span(name),
                        "`required` must list property names as strings",
                    ));
                    return None;
                };
                if properties.get(&lit.value).is_none() {
                    self.errors.push(
                        Rule::Schema
                            .error(
                                self.span(name),
                                format!(
                                    "`{}` is required but not declared under `properties`",
                                    lit.value
                                ),
                            )
                            .with_help(
                                "declare it under `properties` or remove it from `required`",
                            ),
                    );
                    return None;
                }
                set.push(lit.value.to_string());
            }
            sets.push(set);
        }
        Some(Presence {
            exclusive: keyword == "oneOf",
            sets,
            span: self.span(list),
        })
    }
}

/// Whether a `oneOf`/`anyOf` lists only `required` lists: a rule of which
/// of an object's members are present, not alternatives of types.
pub(super) fn is_presence(list: &Value<'_>) -> bool {
    list.as_array().is_some_and(|array| {
        !array.elements.is_empty()
            && array.elements.iter().all(|branch| {
                branch.as_object().is_some_and(|object| {
                    object.get("required").is_some()
                        && object.properties.iter().all(|property| {
                            matches!(
                                property.name.as_str(),
                                "required" | "description" | "title" | "$comment"
                            )
                        })
                })
            })
    })
}

/// Keywords that would constrain every branch of `oneOf`/`anyOf` (beside
/// annotations such as `description` and `title`).
const CONSTRAINING_SIBLINGS: &[&str] = &[
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "enum",
    "const",
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
];

/// `{"type": "null"}` (or `{"const": null}`): the branch that makes a
/// field nullable.
fn is_null_schema(branch: &Value<'_>) -> bool {
    let Some(object) = branch.as_object() else {
        return false;
    };
    let null_type = object
        .get("type")
        .and_then(|kind| kind.value.as_string_lit())
        .is_some_and(|lit| lit.value == "null");
    let null_const = object
        .get("const")
        .is_some_and(|value| value.value.as_null_keyword().is_some());
    (null_type || null_const)
        && object.properties.iter().all(|property| {
            matches!(
                property.name.as_str(),
                "type" | "const" | "description" | "title" | "$comment"
            )
        })
}

/// The JSON types a value of this type can have; integers are numbers.
#[derive(PartialEq)]
enum JsonKind {
    Null,
    Boolean,
    Number,
    String,
    Array,
    Object,
}

fn json_kinds(reader: &SchemaReader<'_, '_>, ty: &FieldType) -> Vec<JsonKind> {
    match ty {
        FieldType::Null => vec![JsonKind::Null],
        FieldType::Any => vec![
            JsonKind::Null,
            JsonKind::Boolean,
            JsonKind::Number,
            JsonKind::String,
            JsonKind::Array,
            JsonKind::Object,
        ],
        FieldType::Tuple(_) => vec![JsonKind::Array],
        FieldType::Scalar(Scalar::Boolean) => vec![JsonKind::Boolean],
        FieldType::Scalar(Scalar::Integer | Scalar::Number) => vec![JsonKind::Number],
        FieldType::Scalar(_) | FieldType::Enum(_) => vec![JsonKind::String],
        FieldType::Array(_) => vec![JsonKind::Array],
        FieldType::Object | FieldType::Map(_) | FieldType::Struct(_) => vec![JsonKind::Object],
        FieldType::Union(id) => reader.unions[id.0]
            .variants
            .iter()
            .flat_map(|variant| json_kinds(reader, &variant.ty))
            .collect(),
    }
}
