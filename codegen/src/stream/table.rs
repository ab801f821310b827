//! A hash table keyed by strings, laid out for a long stream of mostly new
//! keys, where memory traffic is the cost:
//!
//! - the keys sit end to end in one growing buffer and the values in one
//!   growing list, both appended to in insertion order: two allocations
//!   for the whole stream instead of one per key;
//! - the hash table itself is one array of 8-byte slots (32 bits of the
//!   key's hash and its place in the list), probed linearly: a lookup of a
//!   new key reads one cache line, growing never re-reads a key, and the
//!   line can be fetched ahead (`prefetch`) while the rest of the event is
//!   read, so that its cache miss overlaps other work;
//! - a lookup returns either the value or the place to insert one, so a
//!   key that turns out to be new is hashed and probed once.
//!
//! A place in the list is 32 bits, so a table holds its keys in
//! generations of fewer than `u32::MAX` keys each; lookups ask the full
//! generations before the newest. A stream with that many distinct keys
//! is rare enough that the extra lookups do not matter.

use std::borrow::Cow;
use std::hash::BuildHasher;

use rustc_hash::FxBuildHasher;

pub(super) struct StringTable<V> {
    /// The generation taking new keys.
    current: Generation<V>,
    full: Vec<Generation<V>>,
    /// Keys per generation.
    capacity: usize,
    /// Keys to make room for at the next lookup (`expect`).
    expected: usize,
}

struct Generation<V> {
    keys: String,
    entries: Vec<Entry<V>>,
    slots: Slots,
}

struct Entry<V> {
    /// Where the key ends in `keys`; it starts where the previous one ends.
    key_end: usize,
    value: V,
}

/// Open addressing with linear probing, at most three quarters full.
/// A slot is 64 bits: the key's 32-bit hash above its place in the list.
struct Slots {
    slots: Vec<u64>,
    len: usize,
    /// `64 - log2(slots.len())`: a hash's home slot is the top bits of its
    /// spread.
    shift: u32,
}

/// No key's slot: a place in the list is below `u32::MAX` (`lookup`).
/// Not zero, so that a new table is written through once when made
/// (zeroed memory would fault twice per page, on the first probe's read
/// and on the first insert's write).
const EMPTY: u64 = u64::MAX;

fn slot(hash: u32, index: u32) -> u64 {
    u64::from(hash) << 32 | u64::from(index)
}

fn slot_hash(slot: u64) -> u32 {
    (slot >> 32) as u32
}

fn slot_index(slot: u64) -> u32 {
    slot as u32
}

/// A key with its hash, computed once for both the fetch ahead and the
/// lookup.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct TableKey<'a> {
    text: Cow<'a, str>,
    hash: u32,
}

impl<'a> TableKey<'a> {
    pub fn new(text: Cow<'a, str>) -> Self {
        let hash = hash_of(&text);
        Self { text, hash }
    }

    pub fn text(&self) -> &str {
        &self.text
    }
}

/// What a lookup found: the key's value, or the place to insert one.
pub(super) enum Lookup<'t, 'k, V> {
    Found(&'t mut V),
    Absent(Vacancy<'t, 'k, V>),
}

/// The place for a key that is not in the table yet.
pub(super) struct Vacancy<'t, 'k, V> {
    at: usize,
    hash: u32,
    key: &'k str,
    generation: &'t mut Generation<V>,
}

impl<V> Default for StringTable<V> {
    fn default() -> Self {
        Self::with_generation_capacity(u32::MAX as usize - 1)
    }
}

/// The table's hash of a key: 32 bits are stored, and spread back over 64
/// to place the key. Fx hashing: the table is only looked up, never
/// iterated, so its order cannot reach the output.
fn hash_of(key: &str) -> u32 {
    (FxBuildHasher.hash_one(key) >> 32) as u32
}

fn spread(hash: u32) -> u64 {
    u64::from(hash).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl Slots {
    const FIRST_SIZE: usize = 16;

    fn new() -> Self {
        Self::with_size(Self::FIRST_SIZE)
    }

    fn with_size(size: usize) -> Self {
        Self {
            slots: vec![EMPTY; size],
            len: 0,
            shift: 64 - size.trailing_zeros(),
        }
    }

    fn home(&self, hash: u32) -> usize {
        (spread(hash) >> self.shift) as usize
    }

    /// The place of a key of this hash that `is_key` accepts, or the empty
    /// slot where the probe ended.
    fn find(&self, hash: u32, is_key: impl Fn(u32) -> bool) -> Result<u32, usize> {
        let mask = self.slots.len() - 1;
        let mut at = self.home(hash);
        loop {
            let slot = self.slots[at];
            if slot == EMPTY {
                return Err(at);
            }
            if slot_hash(slot) == hash && is_key(slot_index(slot)) {
                return Ok(slot_index(slot));
            }
            at = (at + 1) & mask;
        }
    }

    /// Whether `keys` keys fit without growing.
    fn holds(&self, keys: usize) -> bool {
        keys.saturating_mul(4) <= self.slots.len().saturating_mul(3)
    }

    /// Room for `keys` keys in all, growing (and so moving every slot) if
    /// not.
    fn make_room(&mut self, keys: usize) {
        if self.holds(keys) {
            return;
        }
        let mut size = self.slots.len() * 2;
        while keys.saturating_mul(4) > size.saturating_mul(3) {
            size *= 2;
        }
        let mut grown = Self::with_size(size);
        let mask = size - 1;
        for &slot in self.slots.iter().filter(|slot| **slot != EMPTY) {
            let mut at = grown.home(slot_hash(slot));
            while grown.slots[at] != EMPTY {
                at = (at + 1) & mask;
            }
            grown.slots[at] = slot;
        }
        grown.len = self.len;
        *self = grown;
    }

    fn prefetch(&self, hash: u32) {
        let slot: *const u64 = &self.slots[self.home(hash)];
        #[cfg(target_arch = "x86_64")]
        // SAFETY: a prefetch is a hint to the cache: it reads nothing the
        // program sees and cannot fault, whatever the address.
        unsafe {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            _mm_prefetch::<_MM_HINT_T0>(slot.cast());
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = slot;
    }
}

impl<V> Generation<V> {
    fn new() -> Self {
        Self {
            keys: String::new(),
            entries: Vec::new(),
            slots: Slots::new(),
        }
    }

    fn find(&self, hash: u32, key: &str) -> Result<u32, usize> {
        self.slots.find(hash, |index| {
            key_at(&self.keys, &self.entries, index) == key
        })
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
            expected: 0,
        }
    }

    /// Room for about `keys` keys, made when the table takes its first
    /// one: a table that is never used stays small.
    pub fn expect(&mut self, keys: usize) {
        self.expected = keys.min(self.capacity);
    }

    /// Brings the cache line a lookup of `key` will read first into the
    /// cache, without waiting for it.
    pub fn prefetch(&self, key: &TableKey<'_>) {
        self.current.slots.prefetch(key.hash);
    }

    pub fn lookup<'t, 'k>(&'t mut self, key: &'k TableKey<'_>) -> Lookup<'t, 'k, V> {
        let (hash, key) = (key.hash, key.text());
        // Room for the one key this lookup may insert; first, so that the
        // full generations asked next include the current one once full,
        // and so that the vacancy found stays where it is.
        if self.current.entries.len() >= self.capacity {
            let full = std::mem::replace(&mut self.current, Generation::new());
            self.full.push(full);
        }
        let keys = (self.current.slots.len + 1).max(std::mem::take(&mut self.expected));
        self.current.slots.make_room(keys);
        let in_full = self.full.iter().enumerate().find_map(|(generation, full)| {
            full.find(hash, key).ok().map(|index| (generation, index))
        });
        if let Some((generation, index)) = in_full {
            return Lookup::Found(&mut self.full[generation].entries[index as usize].value);
        }
        match self.current.find(hash, key) {
            Ok(index) => Lookup::Found(&mut self.current.entries[index as usize].value),
            Err(at) => Lookup::Absent(Vacancy {
                at,
                hash,
                key,
                generation: &mut self.current,
            }),
        }
    }

    /// Keeps the keys whose value `keep` accepts, in their order, and
    /// frees the rest: the table is built anew, in time linear in its size.
    pub fn retain(&mut self, mut keep: impl FnMut(&mut V) -> bool) {
        let mut kept = Self::with_generation_capacity(self.capacity);
        let current = std::mem::replace(&mut self.current, Generation::new());
        for generation in std::mem::take(&mut self.full).into_iter().chain([current]) {
            let Generation { keys, entries, .. } = generation;
            let mut start = 0;
            for mut entry in entries {
                let key = &keys[start..entry.key_end];
                start = entry.key_end;
                if !keep(&mut entry.value) {
                    continue;
                }
                // Keys are unique, so each is absent from the new table.
                if let Lookup::Absent(vacancy) = kept.lookup(&TableKey::new(Cow::Borrowed(key))) {
                    vacancy.insert(entry.value);
                }
            }
        }
        *self = kept;
    }

    /// The value under `key`, inserted as `V::default()` when absent.
    #[cfg(test)]
    pub fn get_or_default(&mut self, key: &str) -> &mut V
    where
        V: Default,
    {
        match self.lookup(&TableKey::new(Cow::Borrowed(key))) {
            Lookup::Found(value) => value,
            Lookup::Absent(vacancy) => vacancy.insert(V::default()),
        }
    }
}

impl<'t, V> Vacancy<'t, '_, V> {
    pub fn insert(self, value: V) -> &'t mut V {
        let Generation {
            keys,
            entries,
            slots,
        } = self.generation;
        let index = entries.len();
        keys.push_str(self.key);
        entries.push(Entry {
            key_end: keys.len(),
            value,
        });
        // A generation holds fewer than `u32::MAX` keys (`lookup`).
        slots.slots[self.at] = slot(self.hash, index as u32);
        slots.len += 1;
        &mut entries[index].value
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
        fn find(table: &mut StringTable<usize>, key: &str) -> Option<usize> {
            let key = TableKey::new(Cow::Borrowed(key));
            table.lookup(&key).found().copied()
        }
        assert_eq!(find(&mut table, "a"), Some(0));
        assert_eq!(find(&mut table, "ab"), Some(12));
        assert_eq!(find(&mut table, ""), Some(3));
        assert_eq!(find(&mut table, "ünï"), Some(4));
        assert_eq!(find(&mut table, "ba"), None);
        let many: Vec<String> = (0..10_000).map(|index| format!("key-{index}")).collect();
        for (index, key) in many.iter().enumerate() {
            *table.get_or_default(key) = index;
        }
        assert!(many
            .iter()
            .enumerate()
            .all(|(index, key)| find(&mut table, key) == Some(index)));
        assert_eq!(find(&mut table, "key-10000"), None);
        assert_eq!(find(&mut table, "a"), Some(0));
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
    fn retained_keys_are_found_and_the_others_are_gone() {
        for mut table in [
            StringTable::default(),
            StringTable::with_generation_capacity(3),
        ] {
            for (index, key) in ["a", "b", "c", "d", "e", "f", "g"].iter().enumerate() {
                *table.get_or_default(key) = index;
            }
            table.retain(|value| *value % 2 == 0);
            let found: Vec<Option<usize>> = ["a", "b", "c", "d", "e", "f", "g"]
                .iter()
                .map(|key| {
                    table
                        .lookup(&TableKey::new(Cow::Borrowed(key)))
                        .found()
                        .copied()
                })
                .collect();
            assert_eq!(
                found,
                [Some(0), None, Some(2), None, Some(4), None, Some(6)]
            );
            *table.get_or_default("b") = 10;
            assert_eq!(*table.get_or_default("b"), 10);
        }
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
