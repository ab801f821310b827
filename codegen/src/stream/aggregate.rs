//! What the stream remembers of one aggregate: the versions it has taken
//! and its lifecycle status. One is kept per aggregate of a long stream,
//! so it is small (32 bytes) and allocates only for an aggregate that has
//! taken more than one version.

/// One aggregate's state.
#[derive(Default)]
pub(super) struct Aggregate {
    pub versions: Versions,
    /// Index into the checker's status names.
    pub status: Option<u32>,
}

/// The versions an aggregate has taken, each with the line that took it.
/// A line only takes a version above the latest (the same one is a
/// conflict, a lower one a conflict or stale), so they are in increasing
/// order and a lookup is a binary search.
#[derive(Default)]
pub(super) enum Versions {
    #[default]
    None,
    /// No version, last seen on this line: what a window forgets it by.
    Unversioned(usize),
    One(Taken),
    Many(Vec<Taken>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Taken {
    pub version: u64,
    pub line: usize,
}

impl Versions {
    pub fn latest(&self) -> Option<u64> {
        match self {
            Versions::None | Versions::Unversioned(_) => None,
            Versions::One(taken) => Some(taken.version),
            Versions::Many(taken) => taken.last().map(|taken| taken.version),
        }
    }

    /// The line that took `version`, if one did.
    pub fn line_of(&self, version: u64) -> Option<usize> {
        match self {
            Versions::None | Versions::Unversioned(_) => None,
            Versions::One(taken) => (taken.version == version).then_some(taken.line),
            Versions::Many(taken) => taken
                .binary_search_by_key(&version, |taken| taken.version)
                .ok()
                .map(|index| taken[index].line),
        }
    }

    /// Records a version above the latest.
    pub fn take(&mut self, version: u64, line: usize) {
        debug_assert!(self.latest().is_none_or(|latest| version > latest));
        let taken = Taken { version, line };
        match self {
            Versions::None | Versions::Unversioned(_) => *self = Versions::One(taken),
            Versions::One(first) => *self = Versions::Many(vec![*first, taken]),
            Versions::Many(all) => all.push(taken),
        }
    }

    /// Notes a line without a version that the aggregate's state is still
    /// about, unless versions already say when it was last seen.
    pub fn touch(&mut self, line: usize) {
        if let Versions::None | Versions::Unversioned(_) = self {
            *self = Versions::Unversioned(line);
        }
    }

    /// Forgets the versions taken before `line`; whether anything is left
    /// (an aggregate last seen before `line` is forgotten whole).
    pub fn forget_before(&mut self, line: usize) -> bool {
        match self {
            Versions::None => false,
            Versions::Unversioned(seen) => *seen >= line,
            Versions::One(taken) => taken.line >= line,
            Versions::Many(all) => {
                all.retain(|taken| taken.line >= line);
                match all.as_slice() {
                    [] => false,
                    [one] => {
                        *self = Versions::One(*one);
                        true
                    }
                    _ => true,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_found_with_their_lines() {
        let mut versions = Versions::default();
        assert_eq!((versions.latest(), versions.line_of(1)), (None, None));
        versions.take(2, 10);
        assert_eq!(versions.latest(), Some(2));
        assert_eq!((versions.line_of(2), versions.line_of(1)), (Some(10), None));
        for (version, line) in [(3, 11), (7, 12), (8, 20)] {
            versions.take(version, line);
        }
        assert_eq!(versions.latest(), Some(8));
        let lines: Vec<Option<usize>> = (1..=9).map(|version| versions.line_of(version)).collect();
        assert_eq!(
            lines,
            [
                None,
                Some(10),
                Some(11),
                None,
                None,
                None,
                Some(12),
                Some(20),
                None
            ]
        );
    }

    #[test]
    fn versions_before_a_line_are_forgotten() {
        let mut versions = Versions::default();
        for (version, line) in [(1, 10), (2, 20), (3, 30)] {
            versions.take(version, line);
        }
        assert!(versions.forget_before(20));
        assert_eq!((versions.line_of(1), versions.line_of(2)), (None, Some(20)));
        assert!(versions.forget_before(30));
        assert_eq!(
            (versions.latest(), versions.line_of(3)),
            (Some(3), Some(30))
        );
        assert!(!versions.forget_before(31));
        let mut unversioned = Versions::default();
        unversioned.touch(5);
        assert!(unversioned.forget_before(5));
        assert!(!unversioned.forget_before(6));
    }

    #[test]
    fn an_aggregate_stays_small() {
        assert!(std::mem::size_of::<Aggregate>() <= 32);
    }
}
