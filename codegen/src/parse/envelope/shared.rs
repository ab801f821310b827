//! A flat event's `Schema:` describes the whole event (octokit's
//! `issues/opened.schema.json` lists `action`, `repository` and `sender`
//! beside `issue`): the members the envelope declares are the envelope's.
//! Each must say what the envelope says of it (the discriminator: the
//! event's wire name), and is left out of the event's fields.

use jsonc_parser::ast::Object;

use super::{PropertyType, SchemaReader};
use crate::diagnostics::{Diagnostic, Rule};
use crate::ir::{Field, FieldType, MemberPath, Span};

/// The envelope's members a flat event's schema may repeat.
pub struct SharedMembers<'e> {
    /// The envelope's root fields.
    pub fields: &'e [Field],
    pub discriminator: &'e MemberPath,
    /// The event's name on the wire: the discriminator's one value.
    pub wire_name: String,
    /// `additionalProperties: false` on the envelope.
    pub closed: bool,
}

impl SharedMembers<'_> {
    /// Whether a closed whole-event schema that repeats the envelope's
    /// members `skipped` closes nothing more than a closed envelope does.
    pub(super) fn closes_as_envelope(&self, skipped: &[String]) -> bool {
        self.closed
            && self
                .fields
                .iter()
                .all(|field| skipped.contains(&field.name))
    }
}

/// The lengths of the type tables and the `$ref` types at one moment.
pub(super) struct ReadMarks {
    structs: usize,
    unions: usize,
    enums: usize,
    referenced: std::collections::BTreeMap<(crate::ir::FileId, usize), PropertyType>,
}

/// The error for a whole-event schema's member that says otherwise than
/// the envelope of it.
pub(super) fn differs_from_envelope(name: &str, at: Span, envelope_field: &Field) -> Diagnostic {
    Rule::Schema.error(
        at,
        format!("`{name}` is a member of the envelope, and this schema says otherwise of it"),
    )
    .with_note(envelope_field.span, "the envelope's property")
    .with_help("the envelope states the members every event shares: give it the same schema here (the discriminator: the event's wire name), or leave it out")
}

impl<'a, 's> SchemaReader<'a, 's> {
    /// The properties of a flat event's schema that the envelope declares:
    /// each compared with the envelope's (an error where they differ), and
    /// returned to be left out of the event's fields.
    pub(super) fn shared_members(
        &mut self,
        properties: &'a Object<'s>,
        shared: &SharedMembers<'_>,
    ) -> Vec<String> {
        let mut skipped = Vec::new();
        for property in &properties.properties {
            let name = property.name.as_str();
            let Some(envelope_field) = shared.fields.iter().find(|field| field.name == name) else {
                continue;
            };
            skipped.push(name.to_owned());
            // Read it to compare, then forget the types the read made.
            let marks = self.marks();
            let read = self.property_type(&[name.to_owned()], &property.value, 0, None, &mut None);
            let same = read
                .as_ref()
                .map(|read| self.says_what_envelope_says(name, read, envelope_field, shared));
            self.forget_since(marks);
            if same == Some(false) {
                self.errors.push(differs_from_envelope(
                    name,
                    self.span(&property.name),
                    envelope_field,
                ));
            }
        }
        skipped
    }

    /// Whether what the event's schema says of the envelope's member
    /// `name` is what the envelope says (of the discriminator: the event's
    /// wire name).
    pub(super) fn says_what_envelope_says(
        &self,
        name: &str,
        read: &PropertyType,
        envelope_field: &Field,
        shared: &SharedMembers<'_>,
    ) -> bool {
        let is_discriminator = shared.discriminator.is_top() && shared.discriminator.key() == name;
        if is_discriminator {
            match &read.ty {
                FieldType::Enum(id) => self.enums.values(*id) == [shared.wire_name.as_str()],
                ty => *ty == envelope_field.ty,
            }
        } else {
            read.nullable == envelope_field.nullable
                && read.rules == envelope_field.rules
                && self.same_type(&read.ty, &envelope_field.ty)
        }
    }

    /// Where the types read so far end, to forget what a read for
    /// comparison made.
    pub(super) fn marks(&self) -> ReadMarks {
        ReadMarks {
            structs: self.structs.len(),
            unions: self.unions.len(),
            enums: self.enums.len(),
            referenced: self.referenced.clone(),
        }
    }

    /// Forget the types read since `marks`.
    pub(super) fn forget_since(&mut self, marks: ReadMarks) {
        self.structs.truncate(marks.structs);
        self.unions.truncate(marks.unions);
        self.enums.truncate(marks.enums);
        *self.referenced = marks.referenced;
    }

    /// Whether a type read from the event's schema is the envelope's type
    /// (objects member by member, value sets by their values).
    fn same_type(&self, read: &FieldType, envelope: &FieldType) -> bool {
        match (read, envelope) {
            (FieldType::Enum(a), FieldType::Enum(b)) => {
                self.enums.values(*a) == self.enums.values(*b)
            }
            (FieldType::Array(a), FieldType::Array(b)) | (FieldType::Map(a), FieldType::Map(b)) => {
                self.same_type(a, b)
            }
            (FieldType::Struct(a), FieldType::Struct(b)) => {
                let (a, b) = (&self.structs[a.0], &self.structs[b.0]);
                a.closed == b.closed
                    && a.presence == b.presence
                    && a.fields.len() == b.fields.len()
                    && a.fields.iter().zip(&b.fields).all(|(a, b)| {
                        a.name == b.name
                            && a.optional == b.optional
                            && a.nullable == b.nullable
                            && a.rules == b.rules
                            && self.same_type(&a.ty, &b.ty)
                    })
            }
            (FieldType::Union(a), FieldType::Union(b)) => {
                let (a, b) = (&self.unions[a.0], &self.unions[b.0]);
                a.exclusive == b.exclusive
                    && a.variants.len() == b.variants.len()
                    && a.variants
                        .iter()
                        .zip(&b.variants)
                        .all(|(a, b)| a.rules == b.rules && self.same_type(&a.ty, &b.ty))
            }
            (a, b) => a == b,
        }
    }
}
