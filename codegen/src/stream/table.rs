//! A hash table keyed by strings that are all kept in one growing buffer:
//! one allocation for the whole stream instead of one per event id or
//! aggregate, which was most of a long run's cost.

use std::hash::BuildHasher;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

pub(super) struct StringTable<V> {
    keys: String,
    entries: HashTable<Entry<V>>,
}

struct Entry<V> {
    hash: u64,
    start: usize,
    end: usize,
    value: V,
}

impl<V> Default for StringTable<V> {
    fn default() -> Self {
        Self {
            keys: String::new(),
            entries: HashTable::new(),
        }
    }
}

impl<V> StringTable<V> {
    fn hash(key: &str) -> u64 {
        // Fx hashing: the table is only looked up, never iterated, so its
        // order cannot reach the output.
        FxBuildHasher.hash_one(key)
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        let hash = Self::hash(key);
        self.entries
            .find(hash, |entry| {
                entry.hash == hash && &self.keys[entry.start..entry.end] == key
            })
            .map(|entry| &entry.value)
    }

    pub fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The value under `key`, inserted as `V::default()` when absent.
    pub fn get_or_default(&mut self, key: &str) -> &mut V
    where
        V: Default,
    {
        let hash = Self::hash(key);
        let keys = &mut self.keys;
        let entry = self.entries.entry(
            hash,
            |entry| entry.hash == hash && &keys[entry.start..entry.end] == key,
            |entry| entry.hash,
        );
        let occupied = entry.or_insert_with(|| {
            let start = keys.len();
            keys.push_str(key);
            Entry {
                hash,
                start,
                end: keys.len(),
                value: V::default(),
            }
        });
        &mut occupied.into_mut().value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_by_their_text() {
        let mut table = StringTable::default();
        for (index, key) in ["a", "b", "ab", "", "ünï"].iter().enumerate() {
            *table.get_or_default(key) = index;
        }
        *table.get_or_default("ab") += 10;
        assert_eq!(table.get("a"), Some(&0));
        assert_eq!(table.get("ab"), Some(&12));
        assert_eq!(table.get(""), Some(&3));
        assert_eq!(table.get("ünï"), Some(&4));
        assert!(!table.contains("ba"));
        let many: Vec<String> = (0..10_000).map(|index| format!("key-{index}")).collect();
        for (index, key) in many.iter().enumerate() {
            *table.get_or_default(key) = index;
        }
        assert!(many
            .iter()
            .enumerate()
            .all(|(index, key)| table.get(key) == Some(&index)));
    }
}
