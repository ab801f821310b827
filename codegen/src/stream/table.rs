//! A hash table keyed by strings, laid out for a long stream of mostly new
//! keys, where memory traffic is the cost:
//!
//! - the keys sit end to end in one growing buffer and the values in one
//!   growing list, both appended to in insertion order: two allocations
//!   for the whole stream instead of one per key;
//! - the hash table itself holds 8 bytes a key (32 bits of the key's hash
//!   and its place in the list), so it stays small, mostly in cache, and
//!   growing it never re-reads a key;
//! - a lookup returns either the value or the place to insert one, so a
//!   key that turns out to be new is hashed and probed once.
//!
//! A place in the list is 32 bits, so a table holds its keys in
//! generations of up to `u32::MAX` keys each; lookups ask the full
//! generations before the newest. A stream with that many distinct keys
//! is rare enough that the extra lookups do not matter.

use std::hash::BuildHasher;

use hashbrown::hash_table::{Entry as SlotEntry, VacantEntry};
use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

pub(super) struct StringTable<V> {
    /// The generation taking new keys.
    current: Generation<V>,
    full: Vec<Generation<V>>,
    /// Keys per generation.
    capacity: usize,
}

struct Generation<V> {
    keys: String,
    entries: Vec<Entry<V>>,
    slots: HashTable<Slot>,
}

struct Entry<V> {
    /// Where the key ends in `keys`; it starts where the previous one ends.
    key_end: usize,
    value: V,
}

#[derive(Clone, Copy)]
struct Slot {
    hash: u32,
    index: u32,
}

/// What a lookup found: the key's value, or the place to insert one.
pub(super) enum Lookup<'t, 'k, V> {
    Found(&'t mut V),
    Absent(Vacancy<'t, 'k, V>),
}

/// The place for a key that is not in the table yet.
pub(super) struct Vacancy<'t, 'k, V> {
    slot: VacantEntry<'t, Slot>,
    hash: u32,
    key: &'k str,
    keys: &'t mut String,
    entries: &'t mut Vec<Entry<V>>,
}

impl<V> Default for StringTable<V> {
    fn default() -> Self {
        Self::with_generation_capacity(u32::MAX as usize)
    }
}

/// The table's hash of a key: 32 bits are stored, and spread back over 64
/// for the table, which places keys by the low bits and tells them apart
/// by the high ones. Fx hashing: the table is only looked up, never
/// iterated, so its order cannot reach the output.
fn hash_of(key: &str) -> u32 {
    (FxBuildHasher.hash_one(key) >> 32) as u32
}

fn spread(hash: u32) -> u64 {
    u64::from(hash).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl<V> Generation<V> {
    fn new() -> Self {
        Self {
            keys: String::new(),
            entries: Vec::new(),
            slots: HashTable::new(),
        }
    }

    fn key(&self, index: u32) -> &str {
        key_at(&self.keys, &self.entries, index)
    }

    fn position(&self, hash: u32, key: &str) -> Option<usize> {
        self.slots
            .find(spread(hash), |slot| {
                slot.hash == hash && self.key(slot.index) == key
            })
            .map(|slot| slot.index as usize)
    }
}

fn key_at<'a, V>(keys: &'a str, entries: &[Entry<V>], index: u32) -> &'a str {
    let index = index as usize;
    let start = index
        .checked_sub(1)
        .map_or(0, |previous| entries[previous].key_end);
    &keys[start..entries[index].key_end]
}

impl<V> StringTable<V> {
    fn with_generation_capacity(capacity: usize) -> Self {
        Self {
            current: Generation::new(),
            full: Vec::new(),
            capacity,
        }
    }

    pub fn lookup<'t, 'k>(&'t mut self, key: &'k str) -> Lookup<'t, 'k, V> {
        let hash = hash_of(key);
        // Room for the one key this lookup may insert; first, so that the
        // full generations asked next include the current one once full.
        if self.current.entries.len() >= self.capacity {
            let full = std::mem::replace(&mut self.current, Generation::new());
            self.full.push(full);
        }
        let in_full = self.full.iter().enumerate().find_map(|(generation, full)| {
            full.position(hash, key).map(|index| (generation, index))
        });
        if let Some((generation, index)) = in_full {
            return Lookup::Found(&mut self.full[generation].entries[index].value);
        }
        let Generation {
            keys,
            entries,
            slots,
        } = &mut self.current;
        let found = slots.entry(
            spread(hash),
            |slot| slot.hash == hash && key_at(keys, entries, slot.index) == key,
            |slot| spread(slot.hash),
        );
        match found {
            SlotEntry::Occupied(slot) => {
                Lookup::Found(&mut entries[slot.get().index as usize].value)
            }
            SlotEntry::Vacant(slot) => Lookup::Absent(Vacancy {
                slot,
                hash,
                key,
                keys,
                entries,
            }),
        }
    }

    /// The value under `key`, inserted as `V::default()` when absent.
    #[cfg(test)]
    pub fn get_or_default(&mut self, key: &str) -> &mut V
    where
        V: Default,
    {
        match self.lookup(key) {
            Lookup::Found(value) => value,
            Lookup::Absent(vacancy) => vacancy.insert(V::default()),
        }
    }
}

impl<'t, V> Vacancy<'t, '_, V> {
    pub fn insert(self, value: V) -> &'t mut V {
        let index = self.entries.len();
        self.keys.push_str(self.key);
        self.entries.push(Entry {
            key_end: self.keys.len(),
            value,
        });
        self.slot.insert(Slot {
            hash: self.hash,
            // A generation holds at most `u32::MAX` keys (`lookup`).
            index: index as u32,
        });
        &mut self.entries[index].value
    }
}

impl<V> Lookup<'_, '_, V> {
    pub fn found(&self) -> Option<&V> {
        match self {
            Lookup::Found(value) => Some(value),
            Lookup::Absent(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys_are_found_by_their_text(mut table: StringTable<usize>) {
        for (index, key) in ["a", "b", "ab", "", "ünï"].iter().enumerate() {
            *table.get_or_default(key) = index;
        }
        *table.get_or_default("ab") += 10;
        let mut find = |key: &str| table.lookup(key).found().copied();
        assert_eq!(find("a"), Some(0));
        assert_eq!(find("ab"), Some(12));
        assert_eq!(find(""), Some(3));
        assert_eq!(find("ünï"), Some(4));
        assert_eq!(find("ba"), None);
        let many: Vec<String> = (0..10_000).map(|index| format!("key-{index}")).collect();
        for (index, key) in many.iter().enumerate() {
            *table.get_or_default(key) = index;
        }
        assert!(many
            .iter()
            .enumerate()
            .all(|(index, key)| table.lookup(key).found() == Some(&index)));
        assert_eq!(table.lookup("key-10000").found(), None);
        assert_eq!(table.lookup("a").found(), Some(&0));
    }

    #[test]
    fn one_generation() {
        keys_are_found_by_their_text(StringTable::default());
    }

    #[test]
    fn many_generations() {
        let table = StringTable::with_generation_capacity(7);
        keys_are_found_by_their_text(table);
    }

    #[test]
    fn a_key_in_a_full_generation_is_not_inserted_again() {
        let mut table = StringTable::with_generation_capacity(2);
        for key in ["a", "b", "c", "a", "b", "c", "d"] {
            *table.get_or_default(key) += 1;
        }
        assert_eq!(table.full.len(), 1);
        let counts: Vec<usize> = ["a", "b", "c", "d"]
            .iter()
            .map(|key| *table.get_or_default(key))
            .collect();
        assert_eq!(counts, [2, 2, 2, 1]);
    }
}
