//! Turns the parsed catalog, data model and envelope into the IR: resolves
//! field types and checks what spans more than one heading.

use std::collections::BTreeMap;

use super::catalog::{RawCatalog, RawEvent, RawType};
use super::config::Declared;
use super::conventions::{
    conventional_type, named_type_with_rules, PATTERNED_NAMES, PHONE_PATTERN, TYPE_NAMES,
};
use super::data_model::DataModel;
use super::enums::EnumTable;
use super::json_catalog::RawEnvelope;
use super::transitions::RawTransition;
use super::type_expr::RawField;
use super::type_expr::TypeExpr;
use crate::diagnostics::{Diagnostic, Rule};
use crate::ident;
use crate::ir::{
    Catalog, Doc, Draft, Envelope, Event, Family, Field, FieldType, FileId, Lifecycle, MemberPath,
    Rules, Scalar, Span, StructId, StructType, Transition, TypeOrigin, Version,
};

pub struct Resolver<'a> {
    /// Type names that events of several domains share: those go in modules.
    pub shared_type_names: std::collections::BTreeSet<String>,
    pub catalog_file: FileId,
    pub source_name: String,
    pub data_model: Option<&'a DataModel>,
    pub enums: EnumTable,
    /// Object types declared inline in payloads, in the order resolved.
    pub structs: Vec<StructType>,
    /// Unions read from JSON Schemas (`oneOf`, `anyOf`, `type` lists).
    pub unions: Vec<crate::ir::UnionType>,
    /// Named types (`### type Money`) by name.
    pub named: BTreeMap<String, StructId>,
    /// The payloads `Schema:` bullets name, read already, by event name.
    pub payloads: BTreeMap<String, super::envelope::PayloadSchema>,
    /// The catalog's module in a crate of several (`contracts/<name>/`).
    pub module: Option<String>,
    /// The package name and version `evcat.toml` sets, if it does.
    pub package: &'a super::config::PackageConfig,
    pub errors: &'a mut Vec<Diagnostic>,
}

impl Resolver<'_> {
    /// Checks the whole catalog even without an envelope (so every error of
    /// the run is reported) but builds the IR only with one.
    pub fn resolve(mut self, raw: RawCatalog, envelope: Option<Envelope>) -> Option<Catalog> {
        let mut raw_transitions = raw.transitions.clone();
        raw_transitions.extend(
            self.data_model
                .map(|model| model.transitions.clone())
                .unwrap_or_default(),
        );
        self.shared_type_names = shared_type_names(&raw);
        self.named_types(&raw.types);
        let mut first_by_name: BTreeMap<String, Span> = BTreeMap::new();
        let mut families = Vec::new();
        let has_event_headings = raw.has_event_headings;
        for raw_family in raw.families {
            let mut events = Vec::new();
            for raw_event in raw_family.events {
                if let Some(first) = first_by_name.get(&raw_event.name) {
                    self.errors.push(
                        Rule::Types
                            .error(
                                raw_event.span,
                                format!("duplicate event `{}`", raw_event.name),
                            )
                            .with_note(*first, "first defined here")
                            .with_help(
                                "event names are unique across the catalog; rename one of them",
                            ),
                    );
                    continue;
                }
                first_by_name.insert(raw_event.name.clone(), raw_event.span);
                if let Some(event) = self.event(&raw_family.name, raw_event) {
                    events.push(event);
                }
            }
            families.push(Family {
                name: raw_family.name,
                span: raw_family.span,
                doc: raw_family.doc,
                events,
            });
        }
        if first_by_name.is_empty() && !has_event_headings {
            self.errors.push(
                Rule::Catalog.error(Span { file: self.catalog_file, start: 0, end: 0 }, "the catalog defines no events")
                    .with_help("add a `## Family` heading and a `### EventName` with a `- Required: { … }` bullet"),
            );
        }
        // A flat event's fields share one object with the envelope's, which
        // serde cannot close for the payload alone.
        if let Some(envelope) = envelope
            .as_ref()
            .filter(|envelope| envelope.payload.is_none())
        {
            for event in families.iter().flat_map(|family| &family.events) {
                if event.closed {
                    self.errors.push(
                        Rule::Types.error(
                            event.span,
                            format!("`{}`'s payload schema is closed (`additionalProperties: false`), but its fields sit beside the envelope's", event.name),
                        )
                        .with_help("close the envelope instead (`additionalProperties: false` in envelope.schema.json), and list every envelope member in the event's schema: that closes the whole object")
                        .with_note(envelope.span, "the envelope of flat events"),
                    );
                }
            }
        }
        self.check_type_names(&first_by_name);
        self.check_wire_names(&families);
        self.check_named_types(&families);
        let enums = std::mem::take(&mut self.enums).into_vec();
        let mut lifecycles = self.lifecycles(&raw_transitions, &families);
        for lifecycle in &mut lifecycles {
            lifecycle.states = states(lifecycle, &families, &enums);
        }
        let defaults = crate::ir::Package::default_for(raw.title.as_deref());
        Some(Catalog {
            source_name: self.source_name,
            module: self.module,
            package: crate::ir::Package {
                name: self.package.name.clone().unwrap_or(defaults.name),
                version: self.package.version.clone().unwrap_or(defaults.version),
            },
            title: raw.title,
            doc: raw.doc,
            families,
            enums,
            structs: std::mem::take(&mut self.structs),
            unions: std::mem::take(&mut self.unions),
            lifecycles,
            compatibility: None,
            envelope: envelope?,
            // `evcat.toml`'s `[outbox]`, set with the other configured names.
            outbox: Default::default(),
        })
    }

    /// Each family's lifecycle: the documented transitions, Enabled/Disabled
    /// pairs (the status must differ), and events whose `status` enum sets
    /// the state.
    fn lifecycles(&mut self, raw: &[RawTransition], families: &[Family]) -> Vec<Lifecycle> {
        let mut lifecycles: Vec<Lifecycle> = Vec::new();
        let lifecycle_of = |family: &str, lifecycles: &mut Vec<Lifecycle>| -> usize {
            match lifecycles
                .iter()
                .position(|lifecycle| lifecycle.family == family)
            {
                Some(index) => index,
                None => {
                    lifecycles.push(Lifecycle {
                        family: family.to_owned(),
                        initial: Vec::new(),
                        transitions: Vec::new(),
                        states: Vec::new(),
                    });
                    lifecycles.len() - 1
                }
            }
        };
        for family in families {
            for event in &family.events {
                let status = event
                    .fields
                    .iter()
                    .find(|field| field.name == "status" && matches!(field.ty, FieldType::Enum(_)));
                if let Some(status) = status {
                    let index = lifecycle_of(&family.name, &mut lifecycles);
                    lifecycles[index]
                        .initial
                        .push((event.name.clone(), status.name.clone()));
                }
                let toggles = [
                    ("Enabled", "enabled", "disabled"),
                    ("Disabled", "disabled", "enabled"),
                ];
                for (suffix, to, from) in toggles {
                    if event.type_name.ends_with(suffix) && event.type_name.len() > suffix.len() {
                        let index = lifecycle_of(&family.name, &mut lifecycles);
                        let transition = Transition {
                            from: Some(from.to_owned()),
                            to: to.to_owned(),
                            event: event.name.clone(),
                            span: event.span,
                            written: false,
                        };
                        lifecycles[index].transitions.push(transition);
                    }
                }
            }
        }
        for transition in raw {
            let family = families.iter().find(|family| {
                family
                    .events
                    .iter()
                    .any(|event| event.name == transition.event)
            });
            let Some(family) = family else {
                self.errors.push(Rule::Types.error(
                    transition.span,
                    format!(
                        "the transition names `{}`, which the catalog does not define",
                        transition.event
                    ),
                ));
                continue;
            };
            let index = lifecycle_of(&family.name, &mut lifecycles);
            lifecycles[index].transitions.push(Transition {
                from: transition.from.clone(),
                to: transition.to.clone(),
                event: transition.event.clone(),
                span: transition.span,
                written: true,
            });
        }
        lifecycles
    }

    /// The envelope a JSON-payload catalog gives in its own block.
    pub fn envelope(&mut self, raw: RawEnvelope, declared: &[Declared]) -> Option<Envelope> {
        let mut names: Vec<MemberPath> = raw
            .fields
            .iter()
            .map(|field| MemberPath::top(field.name.clone()))
            .collect();
        names.push(MemberPath::top("payload"));
        let assigned = super::roles::assign(&names, declared, self.errors);
        if assigned.payload.is_none() {
            let span = declared
                .iter()
                .rev()
                .find(|declared| declared.role == super::config::Role::Payload)
                .and_then(|declared| declared.span)
                .unwrap_or(raw.span);
            self.errors.push(
                Rule::Types.error(span, "this catalog's events hold their fields in `payload`")
                    .with_help("the JSON-payload dialect writes each event as `{ \"payload\": { … } }`; flat events (`payload = \".\"`) need an envelope.schema.json and the `### Event` dialect"),
            );
            return None;
        }
        let discriminator = assigned.discriminator.key();
        let fields: Vec<Field> = raw
            .fields
            .into_iter()
            .filter_map(|field| self.field("", "Envelope", field))
            .map(|field| Field {
                type_origin: TypeOrigin::EnvelopeSchema,
                ..field
            })
            .collect();
        let Some(named) = fields.iter().find(|field| field.name == discriminator) else {
            self.errors.push(
                Rule::Types
                    .error(
                        raw.span,
                        format!("the envelope block has no `{discriminator}`"),
                    )
                    .with_help(format!(
                        "add `\"{discriminator}\": \"string\"`: it names the event"
                    )),
            );
            return None;
        };
        if named.ty != FieldType::Scalar(Scalar::String) || named.nullable {
            self.errors.push(Rule::Types.error(
                named.span,
                format!("`{discriminator}` must be a string: it names the event"),
            ));
            return None;
        }
        Some(Envelope {
            draft: Draft::Draft07,
            id: None,
            title: None,
            description: None,
            fields,
            discriminator: assigned.discriminator.clone(),
            payload: Some(MemberPath::top("payload")),
            payload_position: raw.payload_position,
            roles: assigned.roles,
            convention: assigned.convention,
            declared: assigned.declared,
            closed: false,
            span: raw.span,
        })
    }

    fn event(&mut self, family: &str, raw: RawEvent) -> Option<Event> {
        if let (Some(_), Some((_, schema_span))) = (&raw.fields, &raw.schema) {
            self.errors.push(
                Rule::Types.error(
                    *schema_span,
                    format!(
                        "`{}` has both a `Required:` and a `Schema:` bullet",
                        raw.name
                    ),
                )
                .with_help(
                    "the payload's fields come from one of them: keep the field list or the schema",
                ),
            );
            return None;
        }
        let from_schema = raw.schema.as_ref().map(|_| self.payloads.remove(&raw.name));
        let (raw_fields, schema_payload) = match (raw.fields, from_schema) {
            (Some(fields), _) => (fields, None),
            (None, Some(Some(payload))) => (Vec::new(), Some(payload)),
            // The schema could not be read: said where it failed.
            (None, Some(None)) => return None,
            (None, None) => {
                self.errors.push(
                    Rule::Catalog.error(raw.span, format!("event `{}` has no `Required:` bullet", raw.name))
                        .with_help("list its payload fields: `- Required: { customer_id, reason? }` (`{ }` for none), or name its JSON Schema: `- Schema: schemas/order-placed.json`"),
                );
                return None;
            }
        };

        // Dotted names (`nmc.telephony.CallDetected`) are typed by their last
        // segment, in a module of their domain when another domain uses it too.
        let type_name = type_name_of(&raw.name);
        let module = self
            .shared_type_names
            .contains(&type_name)
            .then(|| ident::module_name(family));
        let enum_prefix = type_prefix(&raw.name, family, &self.shared_type_names);
        let (mut fields, closed) = match schema_payload {
            Some(payload) => (payload.fields, payload.closed),
            None => (Vec::new(), false),
        };
        for raw_field in raw_fields {
            if let Some(first) = fields.iter().find(|field| field.name == raw_field.name) {
                self.errors.push(
                    Rule::Types
                        .error(
                            raw_field.span,
                            format!("duplicate field `{}` in `{}`", raw_field.name, raw.name),
                        )
                        .with_note(first.span, "first listed here"),
                );
                continue;
            }
            if let Some(field) = self.field(family, &enum_prefix, raw_field) {
                fields.push(field);
            }
        }
        for (name, span) in &raw.pii {
            match fields.iter_mut().find(|field| &field.name == name) {
                Some(field) => field.pii = true,
                None => self.errors.push(
                    Rule::Types
                        .error(
                            *span,
                            format!("`PII:` names `{name}`, which `{}` does not have", raw.name),
                        )
                        .with_help("list fields of this event's `Required:` bullet"),
                ),
            }
        }
        let version = self.version(&raw.name, raw.version);
        let wire_name_span = raw.wire_name.as_ref().map(|(_, span)| *span);
        let wire_name = match raw.wire_name {
            Some((wire_name, span))
                if wire_name.is_empty() || wire_name.contains(char::is_control) =>
            {
                self.errors.push(
                    Rule::Types.error(
                        span,
                        format!(
                            "`{}` is not a wire name for `{}`",
                            wire_name.escape_debug(),
                            raw.name
                        ),
                    )
                    .with_help(
                        "write the discriminator's value, such as `com.acme.orders.placed.v1` or `Order Placed`",
                    ),
                );
                raw.name.clone()
            }
            Some((wire_name, _)) => wire_name,
            None => raw.name.clone(),
        };
        Some(Event {
            own_id: super::own_id_field(family, &fields),
            version,
            type_name,
            module,
            wire_name,
            wire_name_span,
            name: raw.name,
            span: raw.span,
            docs: raw.docs,
            fields,
            examples: raw.examples,
            inline_examples: raw.inline_examples,
            producer: raw.producer,
            consumers: raw.consumers,
            closed,
            schema: raw.schema.map(|(written, _)| written),
            compatibility: raw.compatibility.and_then(|(written, span)| {
                super::config::parse_mode(&written, span, Rule::Catalog, self.errors)
            }),
        })
    }

    /// The named types: each gets its id first, so that types may name each
    /// other in any order, then its fields.
    fn named_types(&mut self, raw: &[RawType]) {
        let mut defined: Vec<&RawType> = Vec::new();
        for raw_type in raw {
            if let Some(first) = defined.iter().find(|known| known.name == raw_type.name) {
                self.errors.push(
                    Rule::Types
                        .error(
                            raw_type.span,
                            format!("type `{}` is defined twice", raw_type.name),
                        )
                        .with_note(first.span, "first defined here")
                        .with_help(
                            "a named type is defined once and used by name; rename one of them",
                        ),
                );
                continue;
            }
            defined.push(raw_type);
            self.structs.push(StructType {
                name: raw_type.name.clone(),
                fields: Vec::new(),
                span: raw_type.span,
                named: true,
                doc: raw_type.doc.clone(),
                envelope: false,
                closed: false,
                presence: None,
            });
            self.named
                .insert(raw_type.name.clone(), StructId(self.structs.len() - 1));
        }
        for raw_type in defined {
            let id = self.named[&raw_type.name];
            let Some(raw_fields) = &raw_type.fields else {
                self.errors.push(
                    Rule::Types
                        .error(
                            raw_type.span,
                            format!("type `{}` has no `Fields:` bullet", raw_type.name),
                        )
                        .with_help(
                            "list its fields: `- Fields: { amount_cents: integer, currency }`",
                        ),
                );
                continue;
            };
            let fields = self.object_fields(&raw_type.name, raw_fields);
            self.structs[id.0].fields = fields;
        }
    }

    /// No type may contain itself (an infinite value), and a named type's
    /// name is its own: no event, enum or inline object may share it.
    fn check_named_types(&mut self, families: &[Family]) {
        // A schema's definition that holds itself (read from a `$ref` back
        // into it) must end too.
        let declared: Vec<StructId> = self.named.values().copied().collect();
        for (index, nested) in self.structs.iter().enumerate() {
            let id = StructId(index);
            if nested.named
                && !declared.contains(&id)
                && contains(&self.structs, id, id, &mut Vec::new())
            {
                self.errors.push(
                    Rule::Types.error(nested.span, format!("`{}` requires a member of its own type: every one would hold another, so no value ends", nested.name))
                        .with_help("make the member optional, nullable, or an array of it"),
                );
            }
        }
        for (name, id) in self.named.clone() {
            let span = self.structs[id.0].span;
            if contains(&self.structs, id, id, &mut Vec::new()) {
                self.errors.push(
                    Rule::Types.error(span, format!("type `{name}` contains itself: every `{name}` would hold another"))
                        .with_help("put an array or an optional field in between: `children: [Node]` or `next?: Node`"),
                );
            }
            let event = families
                .iter()
                .flat_map(|family| &family.events)
                .find(|event| event.type_name == name);
            let other = self
                .structs
                .iter()
                .enumerate()
                .find(|(index, nested)| *index != id.0 && nested.name == name);
            let clash = event
                .map(|event| event.span)
                .or(other.map(|(_, nested)| nested.span));
            let enum_clash = self.enums.iter().any(|enum_type| enum_type.name == name);
            if let Some(clash) = clash {
                self.errors.push(
                    Rule::Types
                        .error(span, format!("type `{name}` has the name of another type"))
                        .with_note(clash, "the other one"),
                );
            } else if enum_clash {
                self.errors.push(
                    Rule::Types.error(span, format!("type `{name}` has the name of an enum")),
                );
            }
        }
    }

    /// Two events must not share a wire name: the discriminator could not
    /// tell them apart.
    fn check_wire_names(&mut self, families: &[Family]) {
        let mut first: BTreeMap<&str, &Event> = BTreeMap::new();
        for event in families.iter().flat_map(|family| &family.events) {
            match first.get(event.wire_name.as_str()) {
                Some(earlier) => self.errors.push(
                    Rule::Types
                        .error(
                            event.wire_name_span.unwrap_or(event.span),
                            format!(
                                "`{}` and `{}` have the same wire name `{}`",
                                earlier.name, event.name, event.wire_name
                            ),
                        )
                        .with_note(
                            earlier.wire_name_span.unwrap_or(earlier.span),
                            "the other one",
                        )
                        .with_help(
                            "the discriminator names one event; give each its own `Wire name:`",
                        ),
                ),
                None => {
                    first.insert(&event.wire_name, event);
                }
            }
        }
    }

    /// The declared version, or the dialect's default: `1`, or `1.0.0` for
    /// dotted names, whose catalogs use semantic versions.
    fn version(&mut self, event: &str, declared: Option<(String, Span)>) -> Version {
        let default = || {
            let text = if event.contains('.') { "1.0.0" } else { "1" };
            Version::parse(text, None).expect("a version")
        };
        let Some((text, span)) = declared else {
            return default();
        };
        Version::parse(&text, Some(span)).unwrap_or_else(|| {
            self.errors.push(
                Rule::Catalog
                    .error(span, format!("`{text}` is not a version of `{event}`"))
                    .with_help("write a major version (`2`) or a semantic version (`2.1.0`)"),
            );
            default()
        })
    }

    fn field(&mut self, family: &str, event: &str, raw: RawField) -> Option<Field> {
        let mut examples = raw.examples;
        let (ty, rules, origin) = match &raw.declared_type {
            Some(expr) => {
                let (ty, rules, sample) = self.declared(event, &raw.name, expr)?;
                if examples.is_empty() {
                    examples.extend(sample.map(serde_json::Value::from));
                }
                (ty, rules, TypeOrigin::Declared)
            }
            None => match self.data_model_values(family, &raw.name) {
                Some(found) => found?,
                None => {
                    let (ty, rules) = conventional_type(&raw.name);
                    (ty, rules, TypeOrigin::Convention)
                }
            },
        };
        // Phone numbers are personal data wherever they appear.
        let pii = rules.pattern.as_deref() == Some(PHONE_PATTERN);
        Some(Field {
            name: raw.name,
            span: raw.span,
            optional: raw.optional,
            nullable: raw.nullable,
            ty,
            rules,
            doc: Doc::default(),
            type_origin: origin,
            pii,
            examples,
            default: None,
            rust_name: None,
        })
    }

    /// A declared type, the rules it brings (`phone` is a patterned string)
    /// and a sample value for patterned types.
    #[allow(clippy::type_complexity)]
    fn declared(
        &mut self,
        event: &str,
        field: &str,
        expr: &TypeExpr,
    ) -> Option<(FieldType, Rules, Option<&'static str>)> {
        match expr {
            TypeExpr::Named(name, span) => match named_type_with_rules(name) {
                Some(found) => Some(found),
                None => match self.named.get(name) {
                    Some(id) => Some((FieldType::Struct(*id), Rules::default(), None)),
                    None => {
                        let named: Vec<&str> = self.named.keys().map(String::as_str).collect();
                        self.errors.push(unknown_type(name, *span, &named));
                        None
                    }
                },
            },
            TypeExpr::Array(item, _) => {
                // An array's objects are named for one item: `OrderPlacedLinesItem`.
                let item_field = match **item {
                    TypeExpr::Object(..) => format!("{field}_item"),
                    _ => field.to_owned(),
                };
                let (item, _, _) = self.declared(event, &item_field, item)?;
                Some((FieldType::Array(Box::new(item)), Rules::default(), None))
            }
            TypeExpr::Object(raw_fields, span) => {
                let name = ident::joined_type_name(&[event, field]);
                let fields = self.object_fields(&name, raw_fields);
                if let Some(clash) = self.structs.iter().find(|known| known.name == name) {
                    self.errors.push(
                        Rule::Types
                            .error(*span, format!("two object types would be named `{name}`"))
                            .with_note(clash.span, "the other one"),
                    );
                    return None;
                }
                self.structs.push(StructType {
                    name,
                    fields,
                    span: *span,
                    named: false,
                    doc: Doc::default(),
                    envelope: false,
                    closed: false,
                    presence: None,
                });
                let id = StructId(self.structs.len() - 1);
                Some((FieldType::Struct(id), Rules::default(), None))
            }
            TypeExpr::Enum(values, span) => {
                let name = ident::joined_type_name(&[event, field]);
                self.intern_enum(name, values, *span)
                    .map(|ty| (ty, Rules::default(), None))
            }
        }
    }

    /// The fields of an object type named `name`.
    fn object_fields(&mut self, name: &str, raw_fields: &[RawField]) -> Vec<Field> {
        let mut fields: Vec<Field> = Vec::new();
        for raw in raw_fields.iter().cloned() {
            if let Some(first) = fields.iter().find(|known| known.name == raw.name) {
                self.errors.push(
                    Rule::Types
                        .error(
                            raw.span,
                            format!("duplicate field `{}` in `{name}`", raw.name),
                        )
                        .with_note(first.span, "first listed here"),
                );
                continue;
            }
            // Nested fields take no values from the data model, whose
            // entity lines describe a family's own fields.
            if let Some(field) = self.field("", name, raw) {
                fields.push(field);
            }
        }
        fields
    }

    /// `Some(None)`: the data model lists values but they are unusable (reported).
    #[allow(clippy::type_complexity)]
    fn data_model_values(
        &mut self,
        family: &str,
        field: &str,
    ) -> Option<Option<(FieldType, Rules, TypeOrigin)>> {
        let entity = self.data_model?.entity(family)?;
        let entity_field = entity
            .fields
            .iter()
            .find(|candidate| candidate.name == field)?;
        let (values, span) = entity_field.values.as_ref()?;
        let name = ident::joined_type_name(&[family, field]);
        let values = values.clone();
        let span = *span;
        Some(
            self.intern_enum(name, &values, span)
                .map(|ty| (ty, Rules::default(), TypeOrigin::DataModel(span))),
        )
    }

    fn intern_enum(
        &mut self,
        name: String,
        values: &[(String, Span)],
        span: Span,
    ) -> Option<FieldType> {
        match self.enums.intern(name, values, span, Doc::default()) {
            Ok(id) => Some(FieldType::Enum(id)),
            Err(errors) => {
                self.errors.extend(errors);
                None
            }
        }
    }

    /// Events and enums become Rust and TypeScript types: their names must
    /// not clash with each other or with the types evcat defines.
    fn check_type_names(&mut self, events: &BTreeMap<String, Span>) {
        for (name, span) in events {
            if ident::RESERVED_TYPE_NAMES.contains(&name.as_str()) {
                self.errors.push(
                    Rule::Types
                        .error(
                            *span,
                            format!("event name `{name}` is reserved for a generated type"),
                        )
                        .with_help(format!(
                            "rename the event; {} are reserved",
                            ident::RESERVED_TYPE_NAMES.join(", ")
                        )),
                );
            }
        }
        for enum_type in self.enums.iter() {
            if let Some(event_span) = events.get(&enum_type.name) {
                self.errors.push(
                    Rule::Types
                        .error(
                            *event_span,
                            format!(
                                "event `{}` has the name of a generated enum",
                                enum_type.name
                            ),
                        )
                        .with_note(enum_type.span, "the enum's values come from here")
                        .with_help("rename the event or the field"),
                );
            }
        }
    }
}

/// What an event's enums and nested types are named after: its type name,
/// with its domain's module before it when other domains share the name.
pub(super) fn type_prefix(
    event_name: &str,
    family: &str,
    shared: &std::collections::BTreeSet<String>,
) -> String {
    let type_name = type_name_of(event_name);
    match shared.contains(&type_name) {
        true => format!(
            "{}{type_name}",
            heck::AsUpperCamelCase(ident::module_name(family))
        ),
        false => type_name,
    }
}

pub(super) fn type_name_of(event_name: &str) -> String {
    ident::rust_type(event_name.rsplit('.').next().unwrap_or(event_name))
}

/// Type names that events of more than one family would take.
pub(super) fn shared_type_names(raw: &RawCatalog) -> std::collections::BTreeSet<String> {
    let mut families_by_type: BTreeMap<String, std::collections::BTreeSet<&str>> = BTreeMap::new();
    for family in &raw.families {
        for event in &family.events {
            families_by_type
                .entry(type_name_of(&event.name))
                .or_default()
                .insert(&family.name);
        }
    }
    families_by_type
        .into_iter()
        .filter(|(_, families)| families.len() > 1)
        .map(|(name, _)| name)
        .collect()
}

/// Whether every value of the object type `from` holds one of type
/// `target`, through required object fields.
fn contains(
    structs: &[StructType],
    from: StructId,
    target: StructId,
    seen: &mut Vec<StructId>,
) -> bool {
    if seen.contains(&from) {
        return false;
    }
    seen.push(from);
    // An array may be empty and an optional field absent: only required
    // object fields make a value that cannot end.
    structs[from.0]
        .fields
        .iter()
        .filter(|field| !field.optional && !field.nullable)
        .any(|field| match &field.ty {
            FieldType::Struct(id) => *id == target || contains(structs, *id, target, seen),
            _ => false,
        })
}

fn unknown_type(name: &str, span: Span, named: &[&str]) -> Diagnostic {
    let mut known: Vec<&str> = TYPE_NAMES.iter().map(|(known, _)| *known).collect();
    known.extend(PATTERNED_NAMES.iter().map(|(known, _, _)| *known));
    known.push("object");
    known.extend(named);
    let mut help = format!(
        "known types: {}, `[T]` for arrays, `enum(a|b)`",
        known.join(", ")
    );
    if let Some(candidate) = super::suggest::closest(name, known.iter().copied()) {
        help = format!("did you mean `{candidate}`? {help}");
    }
    Rule::Types
        .error(span, format!("unknown type `{name}`"))
        .with_help(help)
}

/// Every status a lifecycle mentions, in order of first mention.
fn states(
    lifecycle: &Lifecycle,
    families: &[Family],
    enums: &[crate::ir::EnumType],
) -> Vec<String> {
    let mut states: Vec<String> = Vec::new();
    let mut add = |state: &str| {
        if !states.iter().any(|known| known == state) {
            states.push(state.to_owned());
        }
    };
    for (event_name, field) in &lifecycle.initial {
        let ty = families
            .iter()
            .flat_map(|family| &family.events)
            .find(|event| &event.name == event_name)
            .and_then(|event| {
                event
                    .fields
                    .iter()
                    .find(|candidate| &candidate.name == field)
            })
            .map(|field| &field.ty);
        if let Some(FieldType::Enum(id)) = ty {
            enums[id.0]
                .variants
                .iter()
                .for_each(|variant| add(&variant.value));
        }
    }
    for transition in &lifecycle.transitions {
        if let Some(from) = &transition.from {
            add(from);
        }
        add(&transition.to);
    }
    states
}
