//! The keying assumption checked: producers key each event by its
//! aggregate's id, so that one aggregate's events (and redeliveries) land in
//! one partition, where one checker sees them in order. A record that
//! breaks it is `misrouted`: keyed otherwise, not keyed at all, or of an
//! aggregate this member saw in another partition (two producers hashing
//! keys differently, or a topic whose partition count changed).

use rustc_hash::FxHashMap;

use super::Keying;

/// How reports and metrics name a record whose aggregate was seen in
/// another partition.
pub const MISROUTED: &str = "misrouted";

/// Which partition each aggregate was seen in, over about the last
/// `capacity` aggregates: two generations of maps, the older dropped when
/// the newer is full.
pub struct Routing {
    current: FxHashMap<Box<str>, (i32, i64)>,
    previous: FxHashMap<Box<str>, (i32, i64)>,
    capacity: usize,
}

impl Routing {
    pub fn new(capacity: usize) -> Self {
        Self {
            current: FxHashMap::default(),
            previous: FxHashMap::default(),
            capacity: capacity.max(1),
        }
    }

    /// Why the record at `partition`/`offset` breaks the keying assumption,
    /// if it does. `aggregate` is its family and aggregate id, when it is
    /// an event that names one.
    pub fn misrouted(
        &mut self,
        keying: Keying,
        key: Option<&[u8]>,
        aggregate: Option<(&str, &str)>,
        partition: i32,
        offset: i64,
    ) -> Option<String> {
        let (family, id) = aggregate?;
        if keying == Keying::AggregateId {
            match key {
                None => {
                    return Some(format!(
                        "the record has no key: {family} `{id}`'s events can land in several partitions (key them by the aggregate id)"
                    ))
                }
                Some(key) if key != id.as_bytes() => {
                    return Some(format!(
                        "keyed `{}`, not by its aggregate id `{id}`: {family} `{id}`'s events can land in several partitions",
                        String::from_utf8_lossy(key)
                    ))
                }
                Some(_) => {}
            }
        }
        let name = format!("{family}\u{0}{id}");
        let seen = self
            .current
            .get(name.as_str())
            .or_else(|| self.previous.get(name.as_str()))
            .copied();
        match seen {
            Some((elsewhere, at)) if elsewhere != partition => Some(format!(
                "{family} `{id}` was seen in partition {elsewhere} at offset {at}: one aggregate's events must share a partition"
            )),
            Some(_) => None,
            None => {
                if self.current.len() >= self.capacity {
                    self.previous = std::mem::take(&mut self.current);
                }
                self.current.insert(name.into_boxed_str(), (partition, offset));
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Keying, Routing};

    #[test]
    fn keys_and_partitions_are_checked() {
        let mut routing = Routing::new(2);
        let order = Some(("Order", "o-1"));
        let checked = |routing: &mut Routing, key: Option<&[u8]>, partition| {
            routing.misrouted(Keying::AggregateId, key, order, partition, 7)
        };
        assert_eq!(checked(&mut routing, Some(b"o-1"), 0), None);
        assert_eq!(checked(&mut routing, Some(b"o-1"), 0), None);
        let moved = checked(&mut routing, Some(b"o-1"), 1).expect("another partition");
        assert!(moved.contains("partition 0 at offset 7"), "{moved}");
        let rekeyed = checked(&mut routing, Some(b"e-9"), 0).expect("another key");
        assert!(rekeyed.contains("keyed `e-9`"), "{rekeyed}");
        assert!(checked(&mut routing, None, 0)
            .expect("no key")
            .contains("no key"));
        assert_eq!(
            routing.misrouted(Keying::Any, Some(b"e-9"), order, 0, 8),
            None
        );
        assert_eq!(
            routing.misrouted(Keying::AggregateId, None, None, 0, 9),
            None
        );
    }

    #[test]
    fn old_aggregates_are_forgotten() {
        let mut routing = Routing::new(1);
        for (index, id) in ["a", "b", "c"].iter().enumerate() {
            routing.misrouted(Keying::Any, None, Some(("F", id)), 0, index as i64);
        }
        // `a` fell out of both generations; `c` is still remembered.
        assert_eq!(
            routing.misrouted(Keying::Any, None, Some(("F", "a")), 1, 3),
            None
        );
        assert!(routing
            .misrouted(Keying::Any, None, Some(("F", "c")), 1, 4)
            .is_some());
    }
}
